using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace VmBackup.Core.PoolDb;

/// <summary>
/// The encrypted pool database container (docs/metadata.md, "Encrypted dumps"): a 38-byte header (magic
/// <c>VMBKPDBE</c>, version 1, key kind, PBKDF2 iterations, 16-byte salt, 4-byte nonce prefix, chunk size) followed
/// by AES-256-GCM chunks of <see cref="ChunkSize"/> plaintext bytes, each <c>u32 length || ciphertext || tag</c>. The
/// nonce is the prefix followed by the 64-bit chunk counter; the associated data is the header, the counter and a
/// last-chunk flag, so reordered, dropped, truncated or extended files and a changed header fail authentication. The
/// last chunk is the first one shorter than <see cref="ChunkSize"/> (possibly empty).
/// </summary>
public static class PoolDbCipher
{
    /// <summary>Plaintext bytes per chunk.</summary>
    public const int ChunkSize = 1 << 20;

    /// <summary>Size of the header.</summary>
    public const int HeaderLength = 38;

    private const int SaltLength = 16;
    private const int NoncePrefixLength = 4;
    private const int TagLength = 16;
    private const byte Version = 1;
    private const int MinIterations = 10_000;
    private const int MaxIterations = 10_000_000;

    /// <summary>The first bytes of an encrypted dump.</summary>
    public static ReadOnlySpan<byte> Magic => "VMBKPDBE"u8;

    /// <summary>True when <paramref name="start"/> (the first bytes of a file) begins with <see cref="Magic"/>.</summary>
    public static bool IsEncrypted(ReadOnlySpan<byte> start) => start.StartsWith(Magic);

    /// <summary>True when the file at <paramref name="path"/> is an encrypted dump.</summary>
    public static bool IsEncryptedFile(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> start = stackalloc byte[8];
        var read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        return IsEncrypted(start[..read]);
    }

    /// <summary>The key kind an encrypted file needs, read from its header.</summary>
    /// <exception cref="PoolDbException">Not an encrypted dump or an unknown header.</exception>
    public static PoolDbKeyKind KeyKindOf(string path)
    {
        using var file = File.OpenRead(path);
        var header = new byte[HeaderLength];
        if (file.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false) < HeaderLength)
        {
            throw new PoolDbException($"{path}: encrypted dump truncated in its header");
        }

        return ParseHeader(header).Kind;
    }

    /// <summary>Encrypts <paramref name="plaintext"/> to <paramref name="output"/>; returns the plaintext length.</summary>
    public static Task<long> EncryptAsync(Stream plaintext, Stream output, PoolDbKey key, CancellationToken cancellationToken) =>
        EncryptAsync(plaintext, output, key, PoolDbKey.DefaultIterations, cancellationToken);

    /// <summary>Encrypts with an explicit PBKDF2 iteration count (passphrase keys only).</summary>
    public static async Task<long> EncryptAsync(Stream plaintext, Stream output, PoolDbKey key, int iterations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinIterations);
        var header = new byte[HeaderLength];
        Magic.CopyTo(header);
        header[8] = Version;
        header[9] = (byte)key.Kind;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(10), key.Kind == PoolDbKeyKind.Passphrase ? iterations : 0);
        RandomNumberGenerator.Fill(header.AsSpan(14, SaltLength + NoncePrefixLength));
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(34), ChunkSize);
        var fileKey = key.DeriveFileKey(header.AsSpan(14, SaltLength), iterations);
        var plain = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var sealedChunk = ArrayPool<byte>.Shared.Rent(4 + ChunkSize + TagLength);
        try
        {
            using var aes = new AesGcm(fileKey, TagLength);
            await output.WriteAsync(header, cancellationToken).ConfigureAwait(false);
            long total = 0;
            for (ulong counter = 0; ; counter++)
            {
                var read = await plaintext.ReadAtLeastAsync(plain.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                var last = read < ChunkSize;
                BinaryPrimitives.WriteInt32BigEndian(sealedChunk, read);
                Seal(aes, header, counter, last, plain.AsSpan(0, read), sealedChunk.AsSpan(4, read), sealedChunk.AsSpan(4 + read, TagLength));
                await output.WriteAsync(sealedChunk.AsMemory(0, 4 + read + TagLength), cancellationToken).ConfigureAwait(false);
                total += read;
                if (last)
                {
                    return total;
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(fileKey);
            CryptographicOperations.ZeroMemory(plain.AsSpan(0, ChunkSize));
            ArrayPool<byte>.Shared.Return(plain);
            ArrayPool<byte>.Shared.Return(sealedChunk);
        }
    }

    /// <summary>
    /// Decrypts <paramref name="encrypted"/> to <paramref name="output"/>, chunk by chunk; a chunk is written only
    /// once authenticated. Returns the plaintext length. On failure the output holds a prefix: discard it.
    /// </summary>
    /// <exception cref="PoolDbException">Not an encrypted dump, wrong key kind or key, tampered, truncated or extended.</exception>
    public static async Task<long> DecryptAsync(Stream encrypted, Stream output, PoolDbKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(encrypted);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(key);
        var header = new byte[HeaderLength];
        var headerRead = await encrypted.ReadAtLeastAsync(header, HeaderLength, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (headerRead < HeaderLength)
        {
            throw new PoolDbException(headerRead >= Magic.Length && IsEncrypted(header) ? "encrypted dump truncated in its header" : "not an encrypted VmBackup pool database dump");
        }

        var (kind, iterations, chunkSize) = ParseHeader(header);
        if (kind != key.Kind)
        {
            throw new PoolDbException(kind == PoolDbKeyKind.Passphrase
                ? "the dump was encrypted with a passphrase: set VMBACKUP_POOLDB_PASSPHRASE"
                : "the dump was encrypted with a key file: pass --key-file");
        }

        var fileKey = key.DeriveFileKey(header.AsSpan(14, SaltLength), iterations);
        var plain = ArrayPool<byte>.Shared.Rent(chunkSize);
        var sealedChunk = ArrayPool<byte>.Shared.Rent(chunkSize + TagLength);
        var lengthBytes = new byte[4];
        try
        {
            using var aes = new AesGcm(fileKey, TagLength);
            long total = 0;
            for (ulong counter = 0; ; counter++)
            {
                var got = await encrypted.ReadAtLeastAsync(lengthBytes, 4, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (got < 4)
                {
                    throw new PoolDbException("encrypted dump is truncated (its last chunk is missing)");
                }

                var length = BinaryPrimitives.ReadInt32BigEndian(lengthBytes);
                if (length < 0 || length > chunkSize)
                {
                    throw new PoolDbException("encrypted dump is damaged (bad chunk length)");
                }

                var want = length + TagLength;
                if (await encrypted.ReadAtLeastAsync(sealedChunk.AsMemory(0, want), want, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < want)
                {
                    throw new PoolDbException("encrypted dump is truncated (a chunk is cut short)");
                }

                var last = length < chunkSize;
                try
                {
                    Open(aes, header, counter, last, sealedChunk.AsSpan(0, length), sealedChunk.AsSpan(length, TagLength), plain.AsSpan(0, length));
                }
                catch (AuthenticationTagMismatchException e)
                {
                    throw new PoolDbException(counter == 0
                        ? "cannot decrypt the dump: wrong key or passphrase, or the file was modified"
                        : $"encrypted dump is damaged or was modified (chunk {counter} fails authentication)", e);
                }

                await output.WriteAsync(plain.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                total += length;
                if (last)
                {
                    if (await encrypted.ReadAsync(lengthBytes.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) != 0)
                    {
                        throw new PoolDbException("encrypted dump has data after its last chunk");
                    }

                    return total;
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(fileKey);
            CryptographicOperations.ZeroMemory(plain.AsSpan(0, chunkSize));
            ArrayPool<byte>.Shared.Return(plain);
            ArrayPool<byte>.Shared.Return(sealedChunk);
        }
    }

    private static (PoolDbKeyKind Kind, int Iterations, int ChunkSize) ParseHeader(ReadOnlySpan<byte> header)
    {
        if (!IsEncrypted(header))
        {
            throw new PoolDbException("not an encrypted VmBackup pool database dump");
        }

        if (header[8] != Version)
        {
            throw new PoolDbException($"encrypted dump version {header[8]} is not supported (this VmBackup reads version {Version})");
        }

        var kind = (PoolDbKeyKind)header[9];
        if (kind is not (PoolDbKeyKind.KeyFile or PoolDbKeyKind.Passphrase))
        {
            throw new PoolDbException("encrypted dump is damaged (unknown key kind)");
        }

        var iterations = BinaryPrimitives.ReadInt32BigEndian(header[10..]);
        if (kind == PoolDbKeyKind.Passphrase && iterations is < MinIterations or > MaxIterations)
        {
            throw new PoolDbException("encrypted dump is damaged (PBKDF2 iteration count out of range)");
        }

        var chunkSize = BinaryPrimitives.ReadInt32BigEndian(header[34..]);
        if (chunkSize is < 1024 or > 16 << 20)
        {
            throw new PoolDbException("encrypted dump is damaged (chunk size out of range)");
        }

        return (kind, iterations, chunkSize);
    }

    private static void Seal(AesGcm aes, byte[] header, ulong counter, bool last, ReadOnlySpan<byte> plain, Span<byte> cipher, Span<byte> tag)
    {
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> aad = stackalloc byte[HeaderLength + 9];
        Bind(header, counter, last, nonce, aad);
        aes.Encrypt(nonce, plain, cipher, tag, aad);
    }

    private static void Open(AesGcm aes, byte[] header, ulong counter, bool last, ReadOnlySpan<byte> cipher, ReadOnlySpan<byte> tag, Span<byte> plain)
    {
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> aad = stackalloc byte[HeaderLength + 9];
        Bind(header, counter, last, nonce, aad);
        aes.Decrypt(nonce, cipher, tag, plain, aad);
    }

    private static void Bind(byte[] header, ulong counter, bool last, Span<byte> nonce, Span<byte> aad)
    {
        header.AsSpan(14 + SaltLength, NoncePrefixLength).CopyTo(nonce);
        BinaryPrimitives.WriteUInt64BigEndian(nonce[NoncePrefixLength..], counter);
        header.CopyTo(aad);
        BinaryPrimitives.WriteUInt64BigEndian(aad[HeaderLength..], counter);
        aad[HeaderLength + 8] = last ? (byte)1 : (byte)0;
    }
}
