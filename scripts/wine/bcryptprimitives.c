/*
 * Test-harness stand-in for Windows' bcryptprimitives.dll.
 *
 * Rust's standard library (1.78 and later) fills its random seeds through
 * ProcessPrng from bcryptprimitives.dll. Wine 8.0, the Wine in Debian 12,
 * does not ship that DLL, so every Rust .exe fails to load under it. This
 * DLL exports ProcessPrng and answers it with advapi32's SystemFunction036
 * (RtlGenRandom), which Wine does have.
 *
 * It is placed beside test executables only (scripts/wine-run.sh) and is
 * never part of the installer: real Windows 10 and 11 have the real DLL.
 */
#include <windows.h>

/* RtlGenRandom: advapi32's export SystemFunction036. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* Fills `len` bytes at `data` with random bytes; TRUE on success, as the
 * real ProcessPrng (which is documented never to fail). Large requests are
 * split because RtlGenRandom takes a 32-bit length. */
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000u ? 0x40000000u : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
