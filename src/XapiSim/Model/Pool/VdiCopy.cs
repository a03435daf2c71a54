using System.Buffers;
using XapiSim.Model.Schema;
using XapiSim.Rpc;

namespace XapiSim.Model.Pool;

/// <summary>
/// <c>VDI.copy(vdi, sr, base_vdi, into_vdi)</c> as xapi's <c>Xapi_vdi.copy</c>: without <c>into_vdi</c> a new,
/// writable VDI on <c>sr</c> with the source's names, type, size, sharable, configs, tags, on_boot and allow_caching
/// (a file in the folder of a shared SR, like every copy there); with <c>into_vdi</c> (<c>VDI_READONLY</c>,
/// <c>VDI_TOO_SMALL [into, size]</c>) the source's content is written into that VDI: every block, or with
/// <c>base_vdi</c> only the blocks that differ between the base and the source (the caller vouches that
/// <c>into_vdi</c> holds the base's content).
/// </summary>
internal static class VdiCopy
{
    private const int Chunk = 1 << 20;

    /// <summary>Makes the copy and returns the VDI holding it.</summary>
    public static string Copy(PoolObjects objects, string vdiRef, string srRef, string baseRef, string intoRef)
    {
        var pool = objects.Pool;
        var db = pool.Database;
        lock (db.SyncRoot)
        {
            var source = db.GetRecord("VDI", vdiRef);
            if ((string)source["type"] == "cbt_metadata")
            {
                throw new XenApiFailure("VDI_INCOMPATIBLE_TYPE", vdiRef, "cbt_metadata");
            }

            var sourceDisk = pool.DiskOf(vdiRef);
            if (XapiValues.IsNull(intoRef))
            {
                db.Require("SR", srRef);
                return objects.CreateCopiedVdi(srRef, (string)source["name_label"], (string)source["type"], (long)source["virtual_size"], sourceDisk, new Dictionary<string, object>
                {
                    // As xapi: always writable (the source may be read-only), SM's sm_config not cloned.
                    ["name_description"] = source["name_description"],
                    ["sharable"] = source["sharable"],
                    ["read_only"] = false,
                    ["other_config"] = source["other_config"],
                    ["xenstore_data"] = source["xenstore_data"],
                    ["tags"] = source["tags"],
                    ["on_boot"] = source["on_boot"],
                    ["allow_caching"] = source["allow_caching"],
                });
            }

            var into = db.GetRecord("VDI", intoRef);
            if ((bool)into["read_only"])
            {
                throw new XenApiFailure("VDI_READONLY", intoRef);
            }

            var size = (long)source["virtual_size"];
            if ((long)into["virtual_size"] < size)
            {
                throw new XenApiFailure("VDI_TOO_SMALL", intoRef, size.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            string? baseDisk = null;
            if (!XapiValues.IsNull(baseRef))
            {
                db.Require("VDI", baseRef);
                baseDisk = pool.DiskOf(baseRef);
            }

            if (sourceDisk is not null && pool.DiskOf(intoRef) is { } intoDisk)
            {
                WriteBlocks(pool, sourceDisk, intoDisk, baseDisk, size);
                db.Set("VDI", intoRef, "physical_utilisation", pool.Disks.GetPhysicalUtilisation(intoDisk));
            }

            return intoRef;
        }
    }

    /// <summary>
    /// Writes into the target the 1 MiB blocks of the source that differ from the base (every block without a base)
    /// and from the target's current bytes, through pooled buffers: equal blocks are skipped, so copying into a fresh
    /// VDI keeps it sparse.
    /// </summary>
    private static void WriteBlocks(SimulatedPool pool, string sourceDisk, string intoDisk, string? baseDisk, long size)
    {
        var blocks = baseDisk is null ? null : pool.Disks.GetDifferingBlocks(baseDisk, sourceDisk, Chunk);
        var buffer = ArrayPool<byte>.Shared.Rent(Chunk);
        var current = ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            for (long offset = 0, index = 0; offset < size; offset += Chunk, index++)
            {
                if (blocks is not null && !blocks[index])
                {
                    continue;
                }

                var read = pool.Disks.Read(sourceDisk, offset, buffer.AsSpan(0, (int)Math.Min(Chunk, size - offset)));
                var held = pool.Disks.Read(intoDisk, offset, current.AsSpan(0, read));
                if (held != read || !buffer.AsSpan(0, read).SequenceEqual(current.AsSpan(0, read)))
                {
                    pool.Disks.Write(intoDisk, offset, buffer.AsSpan(0, read));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
