using System.Runtime.InteropServices;

namespace Dendrite.Data;

/// <summary>
/// Flushes a directory's entries to disk (fsync of the directory on Unix), so that a rename into it survives a power
/// loss. Best effort: on Windows (where a rename is journaled by NTFS) and wherever libc cannot be reached it does nothing.
/// </summary>
internal static partial class DirectorySync
{
    /// <summary>Flushes <paramref name="directory"/>; true when the flush happened.</summary>
    public static bool TryFlush(string directory)
    {
        if (OperatingSystem.IsWindows() || OperatingSystem.IsBrowser() || OperatingSystem.IsWasi()) return false;
        try
        {
            int fd = Open(directory, 0 /* O_RDONLY */);
            if (fd < 0) return false;
            try { return FSync(fd) == 0; }
            finally { _ = Close(fd); }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
