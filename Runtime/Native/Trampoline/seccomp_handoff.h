/*
 * A seccomp filter the executor hands to the trampoline, so that it is loaded
 * right before the program's own execve() and the runtime's last system calls
 * (the trampoline's execveat, fcntl) are not judged by the container's profile,
 * as runc loads its filter right before its single execve().
 *
 * The executor writes this header, the sock_filter array and the container
 * process state for a listener into a memfd that survives its execveat();
 * the trampoline reads it, closes it and loads the filter.
 * Shared by the executor and the freestanding trampoline: fixed-size types only.
 */
#ifndef RUNCS_SECCOMP_HANDOFF_H
#define RUNCS_SECCOMP_HANDOFF_H

#include <stdint.h>

struct seccomp_handoff {
	uint32_t flags;         /* seccomp(SECCOMP_SET_MODE_FILTER) flags */
	uint32_t filter_len;    /* bytes of struct sock_filter that follow */
	uint32_t doc_len;       /* bytes of the listener's state document after the filter */
	int32_t listener_sock;  /* where the listener descriptor goes (SCM_RIGHTS); -1: none */
	int32_t index;          /* the plan step that asked for the filter, for error reports */
};

#endif
