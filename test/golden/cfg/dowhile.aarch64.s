	.arch armv8-a
	.file	"dowhile.c"
	.text
	.align	2
	.p2align 4,,11
	.global	f
	.type	f, %function
f:
.LFB0:
	.cfi_startproc
	mov	w1, w0
	mov	w0, 0
	.p2align 3,,7
.L2:
	and	w2, w1, 1
	lsr	w1, w1, 1
	add	w0, w0, w2
	cbnz	w1, .L2
	ret
	.cfi_endproc
.LFE0:
	.size	f, .-f
	.ident	"GCC: (Debian 12.2.0-14) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
