	.arch armv8-a
	.file	"recursion.c"
	.text
	.align	2
	.p2align 4,,11
	.global	f
	.type	f, %function
f:
.LFB0:
	.cfi_startproc
	stp	x29, x30, [sp, -176]!
	.cfi_def_cfa_offset 176
	.cfi_offset 29, -176
	.cfi_offset 30, -168
	mov	x29, sp
	stp	x19, x20, [sp, 16]
	cmp	w0, 1
	.cfi_offset 19, -160
	.cfi_offset 20, -152
	bls	.L48
	sub	w1, w0, #1
	stp	x23, x24, [sp, 48]
	.cfi_offset 24, -120
	.cfi_offset 23, -128
	and	w24, w1, -2
	sub	w24, w0, w24
	mov	w23, w0
	stp	x21, x22, [sp, 32]
	.cfi_offset 22, -136
	.cfi_offset 21, -144
	mov	w20, w1
	mov	x21, 0
	cmp	w23, w24
	beq	.L49
.L3:
	sub	w23, w23, #2
	stp	x25, x26, [sp, 64]
	.cfi_offset 26, -104
	.cfi_offset 25, -112
	and	w25, w23, -2
	mov	x22, 0
	sub	w25, w1, w25
	mov	w26, w23
	stp	x27, x28, [sp, 80]
	.cfi_offset 28, -88
	.cfi_offset 27, -96
	mov	x28, x22
.L9:
	sub	w19, w20, #1
	cmp	w20, w25
	beq	.L50
.L6:
	sub	w20, w20, #2
	mov	w1, w24
	and	w23, w20, -2
	mov	w24, w20
	sub	w23, w19, w23
	mov	w3, w26
	mov	w2, w25
	mov	w20, w23
	mov	x26, x21
	mov	x27, 0
.L13:
	sub	w22, w19, #1
	cmp	w19, w20
	beq	.L51
	sub	w19, w19, #2
	mov	w5, w24
	and	w23, w19, -2
	mov	w4, w19
	sub	w23, w22, w23
	mov	x19, x26
	mov	w6, w20
	mov	w25, w23
	mov	x21, 0
.L17:
	sub	w20, w22, #1
	cmp	w22, w25
	beq	.L52
	sub	w22, w22, #2
	mov	w7, w25
	and	w26, w22, -2
	mov	w25, w22
	sub	w26, w20, w26
	mov	x24, 0
	mov	w22, w20
	mov	x8, x24
	mov	w9, w26
.L21:
	sub	w23, w22, #1
	cmp	w22, w9
	beq	.L53
	sub	w22, w22, #2
	mov	x10, x27
	and	w26, w22, -2
	mov	w12, w25
	sub	w26, w23, w26
	mov	x27, x19
	mov	w25, w26
	mov	x11, x21
	mov	w13, w22
	mov	w26, w23
	mov	x24, 0
.L25:
	sub	w23, w26, #1
	cmp	w26, w25
	beq	.L54
	sub	w22, w26, #3
	sub	w26, w26, #2
	and	w21, w26, -2
	mov	w15, w22
	sub	w21, w23, w21
	mov	x19, 0
	mov	w14, w21
.L29:
	sub	w20, w23, #1
	cmp	w23, w14
	beq	.L55
	and	w21, w15, -2
	mov	x22, 0
	sub	w21, w20, w21
	mov	x18, x22
	str	w1, [sp, 120]
	mov	w1, w21
	mov	x21, x10
.L33:
	sub	w10, w20, #1
	cmp	w20, w1
	beq	.L56
	mov	w0, w25
	mov	w25, w20
	mov	x20, x19
	mov	w19, w10
	mov	w10, w0
	mov	x22, 0
.L30:
	sub	w0, w19, #1
	sub	w19, w19, #2
	stp	x11, x8, [sp, 96]
	str	x18, [sp, 112]
	stp	w12, w4, [sp, 124]
	stp	w5, w13, [sp, 132]
	stp	w2, w6, [sp, 140]
	stp	w7, w9, [sp, 148]
	stp	w10, w14, [sp, 156]
	stp	w15, w1, [sp, 164]
	str	w3, [sp, 172]
	bl	f
	ldp	x11, x8, [sp, 96]
	add	x22, x22, x0
	ldr	x18, [sp, 112]
	cmp	w19, 1
	ldp	w12, w4, [sp, 124]
	ldp	w5, w13, [sp, 132]
	ldp	w2, w6, [sp, 140]
	ldp	w7, w9, [sp, 148]
	ldp	w10, w14, [sp, 156]
	ldp	w15, w1, [sp, 164]
	ldr	w3, [sp, 172]
	bhi	.L30
	mov	x19, x20
	mov	w20, w25
	sub	w0, w20, #3
	sub	w20, w20, #2
	and	x0, x0, 1
	mov	w25, w10
	add	x0, x0, x22
	add	x18, x18, x0
	cmp	w20, 1
	bhi	.L33
	ldr	w1, [sp, 120]
	mov	x10, x21
	add	x20, x18, w20, uxtw
.L31:
	sub	w23, w23, #2
	add	x19, x19, x20
	sub	w15, w15, #2
	cmp	w23, 1
	bhi	.L29
	add	x0, x19, w23, uxtw
.L27:
	add	x24, x24, x0
	cmp	w26, 1
	bhi	.L25
	mov	x19, x27
	mov	x21, x11
	mov	x27, x10
	mov	w25, w12
	mov	w22, w13
	add	x24, x24, w26, uxtw
.L23:
	add	x8, x8, x24
	cmp	w22, 1
	bhi	.L21
	mov	w20, w22
	mov	w22, w25
	mov	w25, w7
	add	x24, x8, w20, uxtw
.L19:
	add	x21, x21, x24
	cmp	w22, 1
	bhi	.L17
	mov	x26, x19
	mov	w24, w5
	mov	w19, w4
	mov	w20, w6
	add	x21, x21, w22, uxtw
.L15:
	add	x27, x27, x21
	cmp	w19, 1
	bhi	.L13
	mov	w20, w24
	add	x27, x27, w19, uxtw
	mov	x21, x26
	mov	w24, w1
	mov	w25, w2
	mov	w26, w3
	add	x28, x28, x27
	cmp	w20, 1
	bhi	.L9
.L57:
	add	x22, x28, w20, uxtw
	mov	w23, w26
	add	x21, x21, x22
	cmp	w23, 1
	bls	.L37
.L58:
	sub	w1, w23, #1
	ldp	x25, x26, [sp, 64]
	.cfi_restore 26
	.cfi_restore 25
	mov	w20, w1
	ldp	x27, x28, [sp, 80]
	.cfi_restore 28
	.cfi_restore 27
	cmp	w23, w24
	bne	.L3
.L49:
	ldp	x19, x20, [sp, 16]
	add	x0, x21, 1
	ldp	x21, x22, [sp, 32]
	.cfi_restore 22
	.cfi_restore 21
	ldp	x23, x24, [sp, 48]
	.cfi_restore 24
	.cfi_restore 23
	ldp	x29, x30, [sp], 176
	.cfi_restore 30
	.cfi_restore 29
	.cfi_restore 19
	.cfi_restore 20
	.cfi_def_cfa_offset 0
	ret
.L54:
	.cfi_def_cfa_offset 176
	.cfi_offset 19, -160
	.cfi_offset 20, -152
	.cfi_offset 21, -144
	.cfi_offset 22, -136
	.cfi_offset 23, -128
	.cfi_offset 24, -120
	.cfi_offset 25, -112
	.cfi_offset 26, -104
	.cfi_offset 27, -96
	.cfi_offset 28, -88
	.cfi_offset 29, -176
	.cfi_offset 30, -168
	mov	x19, x27
	mov	x21, x11
	mov	x27, x10
	mov	w25, w12
	mov	w22, w13
	add	x24, x24, 1
	b	.L23
	.p2align 2,,3
.L55:
	add	x0, x19, 1
	b	.L27
	.p2align 2,,3
.L56:
	ldr	w1, [sp, 120]
	mov	x10, x21
	add	x20, x18, 1
	b	.L31
.L53:
	mov	w22, w25
	add	x24, x8, 1
	mov	w25, w7
	b	.L19
.L52:
	mov	x26, x19
	mov	w24, w5
	mov	w19, w4
	mov	w20, w6
	add	x21, x21, 1
	b	.L15
.L51:
	mov	w20, w24
	add	x27, x27, 1
	mov	x21, x26
	mov	w24, w1
	mov	w25, w2
	mov	w26, w3
	add	x28, x28, x27
	cmp	w20, 1
	bls	.L57
	sub	w19, w20, #1
	cmp	w20, w25
	bne	.L6
.L50:
	add	x22, x28, 1
	mov	w23, w26
	add	x21, x21, x22
	cmp	w23, 1
	bhi	.L58
.L37:
	ldp	x19, x20, [sp, 16]
	add	x0, x21, w23, uxtw
	ldp	x21, x22, [sp, 32]
	.cfi_restore 22
	.cfi_restore 21
	ldp	x23, x24, [sp, 48]
	.cfi_restore 24
	.cfi_restore 23
	ldp	x25, x26, [sp, 64]
	.cfi_restore 26
	.cfi_restore 25
	ldp	x27, x28, [sp, 80]
	.cfi_restore 28
	.cfi_restore 27
	ldp	x29, x30, [sp], 176
	.cfi_restore 30
	.cfi_restore 29
	.cfi_restore 19
	.cfi_restore 20
	.cfi_def_cfa_offset 0
	ret
.L48:
	.cfi_def_cfa_offset 176
	.cfi_offset 19, -160
	.cfi_offset 20, -152
	.cfi_offset 29, -176
	.cfi_offset 30, -168
	ldp	x19, x20, [sp, 16]
	uxtw	x0, w0
	ldp	x29, x30, [sp], 176
	.cfi_restore 30
	.cfi_restore 29
	.cfi_restore 19
	.cfi_restore 20
	.cfi_def_cfa_offset 0
	ret
	.cfi_endproc
.LFE0:
	.size	f, .-f
	.ident	"GCC: (Debian 12.2.0-14) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
