/* The trampoline binary (see trampoline.c), built by Native.targets, as bytes in the executor library. */
	.section .rodata
	.balign 16
	.global runcs_trampoline_start
	.global runcs_trampoline_end
	.hidden runcs_trampoline_start
	.hidden runcs_trampoline_end
runcs_trampoline_start:
	.incbin TRAMPOLINE_BINARY
runcs_trampoline_end:
	.section .note.GNU-stack,"",@progbits
