/*
 * Test helper for scripts/e2e-windows.sh: takes a named pipe's name before
 * the daemon can, with the default (open) security, the way another
 * program squatting on Rebalance's control pipe would. The daemon must
 * then refuse to start rather than share the name.
 *
 *   pipe-squatter.exe \\.\pipe\NAME
 *
 * Prints "ready" once the pipe exists and holds it until killed.
 */
#include <windows.h>
#include <stdio.h>

int wmain(int argc, wchar_t **argv)
{
    if (argc != 2) {
        fputs("usage: pipe-squatter.exe \\\\.\\pipe\\NAME\n", stderr);
        return 2;
    }
    HANDLE pipe = CreateNamedPipeW(argv[1], PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_WAIT,
                                   PIPE_UNLIMITED_INSTANCES, 4096, 4096, 0, NULL);
    if (pipe == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "CreateNamedPipeW failed: %lu\n", GetLastError());
        return 1;
    }
    puts("ready");
    fflush(stdout);
    Sleep(INFINITE);
    return 0;
}
