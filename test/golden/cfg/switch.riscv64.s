	.file	"switch.c"
	.option pic
	.attribute arch, "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zifencei2p0"
	.attribute unaligned_access, 0
	.attribute stack_align, 16
	.text
	.align	1
	.globl	f
	.type	f, @function
f:
	li	a5,5
	bgtu	a0,a5,.L2
	lla	a4,.L4
	slli	a0,a0,2
	add	a0,a0,a4
	lw	a5,0(a0)
	add	a5,a5,a4
	jr	a5
	.section	.rodata
	.align	2
	.align	2
.L4:
	.word	.L9-.L4
	.word	.L8-.L4
	.word	.L7-.L4
	.word	.L6-.L4
	.word	.L5-.L4
	.word	.L3-.L4
	.text
.L5:
	li	a0,9
	tail	a@plt
.L3:
	li	a0,3
	tail	b@plt
.L9:
	li	a0,1
	tail	a@plt
.L8:
	li	a0,2
	tail	b@plt
.L7:
	li	a0,5
	tail	a@plt
.L6:
	li	a0,7
	tail	b@plt
.L2:
	li	a0,0
	tail	b@plt
	.size	f, .-f
	.ident	"GCC: (Debian 12.2.0-13) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
