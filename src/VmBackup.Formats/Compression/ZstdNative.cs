using System.Runtime.InteropServices;

namespace VmBackup.Formats.Compression;

/// <summary>P/Invoke declarations for the system zstd library (<c>libzstd.so.1</c>), streaming API only.</summary>
internal static partial class ZstdNative
{
    private const string Library = "libzstd.so.1";

    internal const int CompressionLevelParameter = 100;
    internal const int ChecksumFlagParameter = 201;
    internal const int NbWorkersParameter = 400;

    internal const int EndDirectiveContinue = 0;
    internal const int EndDirectiveFlush = 1;
    internal const int EndDirectiveEnd = 2;

    [StructLayout(LayoutKind.Sequential)]
    internal struct Buffer
    {
        public IntPtr Data;
        public nuint Size;
        public nuint Position;
    }

    [DllImport(Library, EntryPoint = "ZSTD_versionNumber")]
    internal static extern uint VersionNumber();

    [DllImport(Library, EntryPoint = "ZSTD_createCCtx")]
    internal static extern IntPtr CreateCCtx();

    [DllImport(Library, EntryPoint = "ZSTD_freeCCtx")]
    internal static extern nuint FreeCCtx(IntPtr cctx);

    [DllImport(Library, EntryPoint = "ZSTD_CCtx_setParameter")]
    internal static extern nuint SetParameter(IntPtr cctx, int parameter, int value);

    [DllImport(Library, EntryPoint = "ZSTD_compressStream2")]
    internal static extern nuint CompressStream2(IntPtr cctx, ref Buffer output, ref Buffer input, int endOp);

    [DllImport(Library, EntryPoint = "ZSTD_CStreamOutSize")]
    internal static extern nuint CStreamOutSize();

    [DllImport(Library, EntryPoint = "ZSTD_createDCtx")]
    internal static extern IntPtr CreateDCtx();

    [DllImport(Library, EntryPoint = "ZSTD_freeDCtx")]
    internal static extern nuint FreeDCtx(IntPtr dctx);

    [DllImport(Library, EntryPoint = "ZSTD_decompressStream")]
    internal static extern nuint DecompressStream(IntPtr dctx, ref Buffer output, ref Buffer input);

    [DllImport(Library, EntryPoint = "ZSTD_DStreamInSize")]
    internal static extern nuint DStreamInSize();

    [DllImport(Library, EntryPoint = "ZSTD_DStreamOutSize")]
    internal static extern nuint DStreamOutSize();

    [DllImport(Library, EntryPoint = "ZSTD_isError")]
    internal static extern uint IsError(nuint code);

    [DllImport(Library, EntryPoint = "ZSTD_getErrorName")]
    internal static extern IntPtr GetErrorName(nuint code);

    /// <summary>Throws <see cref="ZstdUnavailableException"/> when the library cannot be loaded.</summary>
    internal static void EnsureAvailable()
    {
        try
        {
            _ = VersionNumber();
        }
        catch (DllNotFoundException e)
        {
            throw new ZstdUnavailableException(e);
        }
        catch (EntryPointNotFoundException e)
        {
            throw new ZstdUnavailableException(e);
        }
    }

    /// <summary>Throws <see cref="IOException"/> with zstd's error name when <paramref name="code"/> is an error.</summary>
    internal static nuint Check(nuint code, string operation)
    {
        if (IsError(code) != 0)
        {
            var name = Marshal.PtrToStringAnsi(GetErrorName(code)) ?? "unknown error";
            throw new InvalidDataException($"zstd {operation} failed: {name}");
        }

        return code;
    }
}
