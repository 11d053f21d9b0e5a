	.arch armv8-a
	.file	"tailcall.c"
	.text
	.align	2
	.p2align 4,,11
	.global	f
	.type	f, %function
f:
.LFB0:
	.cfi_startproc
	add	w0, w0, 1
	b	g
	.cfi_endproc
.LFE0:
	.size	f, .-f
	.ident	"GCC: (Debian 12.2.0-14) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
