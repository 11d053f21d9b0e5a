	.file	"nested.c"
	.option pic
	.attribute arch, "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zifencei2p0"
	.attribute unaligned_access, 0
	.attribute stack_align, 16
	.text
	.align	1
	.globl	f
	.type	f, @function
f:
	mv	a6,a0
	li	a2,0
	li	a0,0
	ble	a6,zero,.L10
	mv	a1,a2
	addiw	a2,a2,1
	beq	a6,a2,.L11
.L6:
	li	a5,0
.L4:
	xor	a3,a2,a5
	mv	a4,a5
	addw	a0,a3,a0
	addiw	a5,a5,1
	bne	a1,a4,.L4
	mv	a1,a2
	addiw	a2,a2,1
	bne	a6,a2,.L6
.L11:
	ret
.L10:
	ret
	.size	f, .-f
	.ident	"GCC: (Debian 12.2.0-13) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
