	.file	"call.c"
	.option pic
	.attribute arch, "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zifencei2p0"
	.attribute unaligned_access, 0
	.attribute stack_align, 16
	.text
	.align	1
	.globl	f
	.type	f, @function
f:
	addi	sp,sp,-16
	sd	ra,8(sp)
	call	g@plt
	addiw	a0,a0,1
	call	g@plt
	ld	ra,8(sp)
	slliw	a0,a0,1
	addi	sp,sp,16
	jr	ra
	.size	f, .-f
	.ident	"GCC: (Debian 12.2.0-13) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
