	.arch armv8-a
	.file	"straight.c"
	.text
	.align	2
	.p2align 4,,11
	.global	f
	.type	f, %function
f:
.LFB0:
	.cfi_startproc
	add	x2, x0, x1
	sub	x0, x0, x1
	mul	x0, x2, x0
	ret
	.cfi_endproc
.LFE0:
	.size	f, .-f
	.ident	"GCC: (Debian 12.2.0-14) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
