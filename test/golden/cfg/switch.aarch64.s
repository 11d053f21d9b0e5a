	.arch armv8-a
	.file	"switch.c"
	.text
	.align	2
	.p2align 4,,11
	.global	f
	.type	f, %function
f:
.LFB0:
	.cfi_startproc
	cmp	w0, 3
	beq	.L2
	bgt	.L3
	cmp	w0, 1
	beq	.L4
	cmp	w0, 2
	bne	.L11
	mov	w0, 5
	b	a
	.p2align 2,,3
.L3:
	cmp	w0, 4
	beq	.L8
	cmp	w0, 5
	bne	.L7
	mov	w0, 3
	b	b
	.p2align 2,,3
.L11:
	cbnz	w0, .L7
	mov	w0, 1
	b	a
	.p2align 2,,3
.L2:
	mov	w0, 7
	b	b
	.p2align 2,,3
.L4:
	mov	w0, 2
	b	b
	.p2align 2,,3
.L8:
	mov	w0, 9
	b	a
	.p2align 2,,3
.L7:
	mov	w0, 0
	b	b
	.cfi_endproc
.LFE0:
	.size	f, .-f
	.ident	"GCC: (Debian 12.2.0-14) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
