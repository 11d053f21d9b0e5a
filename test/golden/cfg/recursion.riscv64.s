	.file	"recursion.c"
	.option pic
	.attribute arch, "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zifencei2p0"
	.attribute unaligned_access, 0
	.attribute stack_align, 16
	.text
	.align	1
	.globl	f
	.type	f, @function
f:
	addi	sp,sp,-256
	sd	ra,248(sp)
	sd	s0,240(sp)
	sd	s1,232(sp)
	sd	s2,224(sp)
	sd	s3,216(sp)
	sd	s4,208(sp)
	sd	s5,200(sp)
	sd	s6,192(sp)
	sd	s7,184(sp)
	sd	s8,176(sp)
	sd	s9,168(sp)
	sd	s10,160(sp)
	sd	s11,152(sp)
	li	a5,1
	bleu	a0,a5,.L47
	addiw	s1,a0,-1
	andi	a5,s1,-2
	subw	s3,a0,a5
	mv	s0,s3
	mv	s2,a0
	li	s10,0
	li	a1,1
	sext.w	s9,s1
	beq	s2,s0,.L48
.L3:
	addiw	s7,s2,-2
	andi	a5,s7,-2
	sext.w	s2,s7
	subw	s8,s1,a5
	sd	s10,40(sp)
	mv	s6,s0
	li	s3,0
	mv	s4,s8
	mv	s0,s2
	mv	s10,s7
.L9:
	addiw	s2,s9,-1
	beq	s9,s4,.L49
.L6:
	addiw	s5,s9,-2
	andi	a4,s5,-2
	subw	a4,s2,a4
	sext.w	s9,s5
	mv	a2,s3
	li	s8,0
	mv	s3,a4
	mv	a3,s9
	mv	a4,s6
	sd	s4,48(sp)
	mv	s6,s0
.L13:
	addiw	s11,s2,-1
	beq	s2,s3,.L50
	addiw	s7,s2,-2
	andi	a6,s7,-2
	subw	a6,s11,a6
	sext.w	s2,s7
	li	s1,0
	mv	t3,a2
	mv	s9,a6
	mv	a2,s3
	mv	a0,s2
	mv	t1,a3
	mv	a7,a4
	mv	s3,s1
	mv	a6,s8
	sw	s7,120(sp)
.L17:
	addiw	s4,s11,-1
	beq	s11,s9,.L51
	addiw	s2,s11,-2
	andi	a5,s2,-2
	subw	s7,s4,a5
	mv	t2,t3
	mv	t0,a6
	mv	t5,t1
	mv	t4,a7
	mv	t3,a2
	mv	t1,s7
	mv	a2,s10
	sext.w	s11,s2
	li	s8,0
	mv	t6,a0
	mv	s7,s6
	mv	s10,s3
	mv	a6,s5
	mv	a7,s2
.L21:
	addiw	s1,s4,-1
	beq	s4,t1,.L52
	addiw	s2,s4,-2
	andi	a5,s2,-2
	subw	s3,s1,a5
	sext.w	s4,s2
	li	s5,0
	mv	s0,t6
	sd	s3,16(sp)
.L25:
	ld	a4,16(sp)
	addiw	a3,s1,-1
	beq	s1,a4,.L53
	addiw	s3,s1,-2
	andi	t6,s3,-2
	addiw	a4,s1,-3
	subw	a5,a3,t6
	mv	a0,a3
	sd	a5,32(sp)
	sext.w	s1,s3
	li	s6,0
	mv	a3,a4
.L29:
	ld	a4,32(sp)
	addiw	a5,a0,-1
	beq	a0,a4,.L54
	andi	a4,a3,-2
	subw	a4,a5,a4
	sd	t2,24(sp)
	mv	t6,s2
	mv	t2,s3
	sd	a4,8(sp)
	mv	s3,s1
	sd	zero,0(sp)
	mv	s2,s0
	mv	s1,a0
.L33:
	ld	a0,8(sp)
	addiw	a4,a5,-1
	beq	a5,a0,.L55
	li	s0,0
.L30:
	addiw	a0,a4,-1
	sw	t2,140(sp)
	sw	t6,136(sp)
	sw	a7,132(sp)
	sw	a6,128(sp)
	sw	a2,124(sp)
	sd	a3,112(sp)
	sd	t1,104(sp)
	sd	t3,96(sp)
	sd	t4,88(sp)
	sd	t5,80(sp)
	sd	a5,72(sp)
	sd	t0,64(sp)
	sd	a4,56(sp)
	call	f
	ld	a4,56(sp)
	li	a1,1
	ld	t0,64(sp)
	addiw	a4,a4,-2
	ld	a5,72(sp)
	ld	t5,80(sp)
	ld	t4,88(sp)
	ld	t3,96(sp)
	ld	t1,104(sp)
	ld	a3,112(sp)
	lw	a2,124(sp)
	lw	a6,128(sp)
	lw	a7,132(sp)
	lw	t6,136(sp)
	lw	t2,140(sp)
	add	s0,s0,a0
	bgtu	a4,a1,.L30
	addiw	a0,a5,-3
	andi	a0,a0,1
	add	a0,a0,s0
	ld	s0,0(sp)
	addiw	a4,a5,-2
	sext.w	a5,a4
	add	a0,s0,a0
	sd	a0,0(sp)
	bgtu	a5,a1,.L33
	ld	a5,0(sp)
	mv	a0,s1
	slli	a4,a4,32
	mv	s1,s3
	mv	s3,t2
	ld	t2,24(sp)
	srli	a4,a4,32
	mv	s0,s2
	add	a4,a4,a5
	mv	s2,t6
.L31:
	addiw	a5,a0,-2
	sext.w	a0,a5
	add	s6,s6,a4
	addiw	a3,a3,-2
	bgtu	a0,a1,.L29
	slli	a5,a5,32
	srli	a5,a5,32
	add	a5,a5,s6
.L27:
	add	s5,s5,a5
	bgtu	s1,a1,.L25
	mv	t6,s0
	mv	s0,s3
	slli	a5,s0,32
	srli	a5,a5,32
	add	a5,a5,s5
.L23:
	add	s8,s8,a5
	bgtu	s4,a1,.L21
	mv	s0,s2
	slli	a5,s0,32
	srli	a5,a5,32
	mv	s3,s10
	mv	s5,a6
	mv	s10,a2
	mv	s2,a7
	mv	a2,t3
	mv	a0,t6
	mv	t1,t5
	mv	s6,s7
	mv	t3,t2
	mv	a6,t0
	mv	a7,t4
	add	a5,a5,s8
.L19:
	add	s3,s3,a5
	bgtu	s11,a1,.L17
	mv	s0,s2
	slli	a5,s0,32
	lw	s7,120(sp)
	mv	s1,s3
	srli	a5,a5,32
	mv	s3,a2
	mv	s8,a6
	mv	a3,t1
	mv	a4,a7
	mv	a2,t3
	mv	s2,a0
	add	a5,a5,s1
.L15:
	add	s8,s8,a5
	bgtu	s2,a1,.L13
	slli	a5,s7,32
	srli	a5,a5,32
	mv	s3,a2
	add	a5,a5,s8
	mv	s9,a3
	mv	s0,s6
	ld	s4,48(sp)
	mv	s6,a4
	add	s3,s3,a5
	bgtu	s9,a1,.L9
.L56:
	mv	s7,s10
	slli	a5,s5,32
	ld	s10,40(sp)
	srli	a5,a5,32
	mv	s2,s0
	add	a5,a5,s3
	mv	s0,s6
	add	s10,s10,a5
	bleu	s2,a1,.L37
.L57:
	addiw	s1,s2,-1
	sext.w	s9,s1
	bne	s2,s0,.L3
.L48:
	addi	a0,s10,1
.L1:
	ld	ra,248(sp)
	ld	s0,240(sp)
	ld	s1,232(sp)
	ld	s2,224(sp)
	ld	s3,216(sp)
	ld	s4,208(sp)
	ld	s5,200(sp)
	ld	s6,192(sp)
	ld	s7,184(sp)
	ld	s8,176(sp)
	ld	s9,168(sp)
	ld	s10,160(sp)
	ld	s11,152(sp)
	addi	sp,sp,256
	jr	ra
.L53:
	mv	t6,s0
	addi	a5,s5,1
	j	.L23
.L54:
	addi	a5,s6,1
	j	.L27
.L55:
	ld	a5,0(sp)
	mv	a0,s1
	mv	s0,s2
	mv	s1,s3
	mv	s2,t6
	mv	s3,t2
	addi	a4,a5,1
	ld	t2,24(sp)
	j	.L31
.L52:
	mv	s3,s10
	mv	s5,a6
	mv	s10,a2
	mv	s2,a7
	mv	a2,t3
	mv	a0,t6
	mv	t1,t5
	mv	s6,s7
	mv	t3,t2
	mv	a6,t0
	mv	a7,t4
	addi	a5,s8,1
	j	.L19
.L51:
	mv	s1,s3
	lw	s7,120(sp)
	mv	s3,a2
	mv	s8,a6
	mv	s2,a0
	mv	a3,t1
	mv	a4,a7
	mv	a2,t3
	addi	a5,s1,1
	j	.L15
.L50:
	mv	s3,a2
	addi	a5,s8,1
	mv	s9,a3
	mv	s0,s6
	ld	s4,48(sp)
	mv	s6,a4
	add	s3,s3,a5
	bleu	s9,a1,.L56
	addiw	s2,s9,-1
	bne	s9,s4,.L6
.L49:
	mv	s7,s10
	ld	s10,40(sp)
	mv	s2,s0
	addi	a5,s3,1
	mv	s0,s6
	add	s10,s10,a5
	bgtu	s2,a1,.L57
.L37:
	mv	s8,s7
	slli	s8,s8,32
	srli	s8,s8,32
	add	a0,s8,s10
	j	.L1
.L47:
	slli	a0,a0,32
	srli	a0,a0,32
	j	.L1
	.size	f, .-f
	.ident	"GCC: (Debian 12.2.0-13) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
