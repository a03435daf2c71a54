using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using VmBackup.Formats.Disks;

namespace VmBackup.Formats.Vhd;

/// <summary>
/// Streams a dynamic (type 3) or differencing (type 4) VHD exactly in XAPI's export layout (§5.4): footer copy at 0,
/// header at 512, a zero sector at 1536 (where a differencing disk's MacX locator points), BAT at 2048, then the
/// included 2 MiB blocks in increasing order, each as an all-0xFF sector bitmap plus the block data, then the footer.
/// The output need not be seekable; memory use is one block.
/// </summary>
public static class VhdWriter
{
    private const int BatOffset = 2048;

    /// <summary>Writes a dynamic VHD of <paramref name="source"/>.</summary>
    /// <param name="output">Destination (not disposed).</param>
    /// <param name="source">Disk content.</param>
    /// <param name="blocks">Block indices to include (any order, duplicates ignored); null = every block touching the source's allocated extents.</param>
    /// <param name="options">Footer options.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The footer written.</returns>
    public static async Task<VhdFooter> WriteDynamicAsync(Stream output, IDiskSource source, IReadOnlyList<long>? blocks, VhdWriterOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        blocks ??= RawExtents.ToVhdBlocks(await source.GetAllocatedExtentsAsync(cancellationToken).ConfigureAwait(false));
        return await WriteAsync(output, source, blocks, null, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a differencing VHD holding <paramref name="blocks"/> of <paramref name="source"/> on top of <paramref name="parent"/>.</summary>
    /// <returns>The footer written.</returns>
    public static Task<VhdFooter> WriteDifferencingAsync(Stream output, IDiskSource source, IReadOnlyList<long> blocks, VhdParent parent, VhdWriterOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(blocks);
        return WriteAsync(output, source, blocks, parent, options, cancellationToken);
    }

    /// <summary>The header XAPI writes for a disk of <paramref name="size"/> bytes (with parent fields for a differencing disk).</summary>
    public static VhdHeader CreateHeader(long size, VhdParent? parent)
    {
        var entries = (uint)((size + VhdHeader.DefaultBlockSize - 1) / VhdHeader.DefaultBlockSize);
        var locators = new VhdParentLocator[8];
        if (parent is not null)
        {
            var uri = "file://" + parent.Path;
            locators[0] = new VhdParentLocator(VhdParentLocator.MacX, 1, (uint)Encoding.UTF8.GetByteCount(uri), 1536);
        }

        return new VhdHeader
        {
            TableOffset = BatOffset,
            MaxTableEntries = entries,
            ParentUniqueId = parent?.UniqueId ?? Guid.Empty,
            ParentTimestamp = parent?.Timestamp ?? 0,
            ParentUnicodeName = parent?.Path ?? string.Empty,
            ParentLocators = locators,
        };
    }

    private static async Task<VhdFooter> WriteAsync(Stream output, IDiskSource source, IReadOnlyList<long> blocks, VhdParent? parent, VhdWriterOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(source);
        options ??= new VhdWriterOptions();
        var size = source.Size;
        var type = parent is null ? VhdDiskType.Dynamic : VhdDiskType.Differencing;
        var footer = VhdFooter.Create(type, size, options.UniqueId ?? Guid.NewGuid(), options.Timestamp, options.CreatorApplication);
        var header = CreateHeader(size, parent);
        var ordered = blocks.Distinct().Order().ToArray();
        if (ordered.Length > 0 && (ordered[0] < 0 || ordered[^1] >= header.MaxTableEntries))
        {
            throw new ArgumentOutOfRangeException(nameof(blocks), $"block indices must be within [0, {header.MaxTableEntries}) for a disk of {size} bytes");
        }

        var batBytes = (int)(((header.MaxTableEntries * 4L) + 511) / 512 * 512);
        var bat = ArrayPool<byte>.Shared.Rent(Math.Max(batBytes, 1));
        var block = ArrayPool<byte>.Shared.Rent(header.BitmapSize + (int)header.BlockSize);
        try
        {
            // footer copy, header, zero sector (locator space)
            var prologue = block.AsSpan(0, BatOffset);
            prologue.Clear();
            footer.WriteTo(prologue);
            header.WriteTo(prologue[VhdFooter.Size..]);
            await output.WriteAsync(block.AsMemory(0, BatOffset), cancellationToken).ConfigureAwait(false);

            bat.AsSpan(0, batBytes).Fill(0xFF);
            var sector = (BatOffset + (long)batBytes) / 512;
            var blockSectors = (header.BitmapSize + header.BlockSize) / 512;
            foreach (var index in ordered)
            {
                if (sector > uint.MaxValue - 1)
                {
                    throw new InvalidOperationException("the VHD would exceed the 2 TiB addressable by a 32-bit BAT");
                }

                BinaryPrimitives.WriteUInt32BigEndian(bat.AsSpan((int)(index * 4)), (uint)sector);
                sector += blockSectors;
            }

            await output.WriteAsync(bat.AsMemory(0, batBytes), cancellationToken).ConfigureAwait(false);

            block.AsSpan(0, header.BitmapSize).Fill(0xFF);
            var data = block.AsMemory(header.BitmapSize, (int)header.BlockSize);
            foreach (var index in ordered)
            {
                var start = index * header.BlockSize;
                var length = (int)Math.Min(header.BlockSize, size - start);
                await source.ReadAsync(start, data[..length], cancellationToken).ConfigureAwait(false);
                data.Span[length..].Clear();
                await output.WriteAsync(block.AsMemory(0, header.BitmapSize + (int)header.BlockSize), cancellationToken).ConfigureAwait(false);
            }

            footer.WriteTo(block);
            await output.WriteAsync(block.AsMemory(0, VhdFooter.Size), cancellationToken).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bat);
            ArrayPool<byte>.Shared.Return(block);
        }

        return footer;
    }
}
