using System.Globalization;

namespace VmBackup.Core.Verify;

/// <summary>One thing wrong with a restore point: the file concerned, where, and what.</summary>
/// <param name="File">The file, relative to the backup folder (e.g. <c>DEV-1.xva</c>, <c>DISK-xvda/vdi.cfg</c>, <c>success</c>).</param>
/// <param name="Offset">The byte offset of the damage, when it has one.</param>
/// <param name="Message">What is wrong, naming the entry or field concerned.</param>
/// <param name="OffsetInDecompressedStream">True when <paramref name="Offset"/> counts bytes of the decompressed stream (a <c>.xva.gz</c> / <c>.xva.zst</c>).</param>
public sealed record VerificationFailure(string File, long? Offset, string Message, bool OffsetInDecompressedStream = false)
{
    /// <summary>
    /// <c>&lt;file&gt; at offset N: &lt;message&gt;</c> (<c>at uncompressed offset N</c> inside a compressed XVA), or
    /// <c>&lt;file&gt;: &lt;message&gt;</c> without an offset.
    /// </summary>
    public override string ToString() => Offset is { } offset
        ? string.Create(CultureInfo.InvariantCulture, $"{File} at {(OffsetInDecompressedStream ? "uncompressed offset" : "offset")} {offset}: {Message}")
        : $"{File}: {Message}";
}
