	.file	"earlyret.c"
	.option pic
	.attribute arch, "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zifencei2p0"
	.attribute unaligned_access, 0
	.attribute stack_align, 16
	.text
	.align	1
	.globl	f
	.type	f, @function
f:
	beq	a0,zero,.L3
	lbu	a5,0(a0)
	addi	a0,a0,1
	beq	a5,zero,.L4
	addi	sp,sp,-16
	sd	ra,8(sp)
	call	strlen@plt
	ld	ra,8(sp)
	addiw	a0,a0,1
	addi	sp,sp,16
	jr	ra
.L4:
	li	a0,0
	ret
.L3:
	li	a0,-1
	ret
	.size	f, .-f
	.ident	"GCC: (Debian 12.2.0-13) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
