	.arch armv8-a
	.file	"nested.c"
	.text
	.align	2
	.p2align 4,,11
	.global	f
	.type	f, %function
f:
.LFB0:
	.cfi_startproc
	mov	w6, w0
	mov	w4, 0
	mov	w0, 0
	cmp	w6, 0
	ble	.L1
	mov	w5, w4
	add	w4, w4, 1
	cmp	w6, w4
	beq	.L1
	.p2align 3,,7
.L6:
	mov	w1, 0
	.p2align 3,,7
.L4:
	eor	w3, w4, w1
	cmp	w5, w1
	add	w0, w0, w3
	add	w1, w1, 1
	bne	.L4
	mov	w5, w4
	add	w4, w4, 1
	cmp	w6, w4
	bne	.L6
.L1:
	ret
	.cfi_endproc
.LFE0:
	.size	f, .-f
	.ident	"GCC: (Debian 12.2.0-14) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
