	.file	"shortcircuit.c"
	.option pic
	.attribute arch, "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zifencei2p0"
	.attribute unaligned_access, 0
	.attribute stack_align, 16
	.text
	.align	1
	.globl	f
	.type	f, @function
f:
	ble	a0,zero,.L2
	li	a0,1
	ble	a1,zero,.L2
	ret
.L2:
	addi	a2,a2,-3
	seqz	a0,a2
	ret
	.size	f, .-f
	.ident	"GCC: (Debian 12.2.0-13) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
