	.file	"dowhile.c"
	.option pic
	.attribute arch, "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zifencei2p0"
	.attribute unaligned_access, 0
	.attribute stack_align, 16
	.text
	.align	1
	.globl	f
	.type	f, @function
f:
	mv	a5,a0
	li	a0,0
.L2:
	andi	a4,a5,1
	srliw	a5,a5,1
	addw	a0,a4,a0
	bne	a5,zero,.L2
	ret
	.size	f, .-f
	.ident	"GCC: (Debian 12.2.0-13) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
