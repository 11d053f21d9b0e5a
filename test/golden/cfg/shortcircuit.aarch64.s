	.arch armv8-a
	.file	"shortcircuit.c"
	.text
	.align	2
	.p2align 4,,11
	.global	f
	.type	f, %function
f:
.LFB0:
	.cfi_startproc
	cmp	w0, 0
	ccmp	w1, 0, 4, gt
	ccmp	w2, 3, 4, le
	cset	w0, eq
	ret
	.cfi_endproc
.LFE0:
	.size	f, .-f
	.ident	"GCC: (Debian 12.2.0-14) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
