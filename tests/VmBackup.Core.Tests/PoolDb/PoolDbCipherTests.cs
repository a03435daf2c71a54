using System.Security.Cryptography;
using VmBackup.Core.PoolDb;

namespace VmBackup.Core.Tests.PoolDb;

/// <summary>The encrypted pool database container: round trips, and every kind of damage detected.</summary>
public sealed class PoolDbCipherTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmbackup-cipher-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<int> Lengths => new() { 0, 1, 4096, PoolDbCipher.ChunkSize, (2 * PoolDbCipher.ChunkSize) + 17 };

    [Theory]
    [MemberData(nameof(Lengths))]
    public async Task KeyFile_RoundTrips_AnyLength(int length)
    {
        using var key = NewKey();
        var plain = RandomNumberGenerator.GetBytes(length);

        var encrypted = await EncryptAsync(plain, key);

        PoolDbCipher.IsEncrypted(encrypted).ShouldBeTrue();
        encrypted.Length.ShouldBe(PoolDbCipher.HeaderLength + length + (((length / PoolDbCipher.ChunkSize) + 1) * 20));
        (await DecryptAsync(encrypted, key)).ShouldBe(plain);
    }

    [Fact]
    public async Task Passphrase_RoundTrips_AndTheSameInputEncryptsDifferently()
    {
        using var key = PoolDbKey.FromPassphrase("a long passphrase");
        var plain = "<database/>"u8.ToArray();

        var first = await EncryptAsync(plain, key);
        var second = await EncryptAsync(plain, key);

        first.ShouldNotBe(second);
        using var again = PoolDbKey.FromPassphrase("a long passphrase");
        (await DecryptAsync(first, again)).ShouldBe(plain);
        using var wrong = PoolDbKey.FromPassphrase("another passphrase");
        (await Should.ThrowAsync<PoolDbException>(() => DecryptAsync(first, wrong))).Message.ShouldContain("wrong key or passphrase");
    }

    [Fact]
    public async Task SwappedChunks_DroppedLastChunk_TrailingData_AndAChangedHeader_AreDetected()
    {
        using var key = NewKey();
        var plain = RandomNumberGenerator.GetBytes((2 * PoolDbCipher.ChunkSize) + 5);
        var encrypted = await EncryptAsync(plain, key);
        var chunk = 4 + PoolDbCipher.ChunkSize + 16;
        var header = PoolDbCipher.HeaderLength;

        var swapped = encrypted.ToArray();
        encrypted.AsSpan(header, chunk).CopyTo(swapped.AsSpan(header + chunk));
        encrypted.AsSpan(header + chunk, chunk).CopyTo(swapped.AsSpan(header));
        var dropped = encrypted[..(header + (2 * chunk))];
        var trailing = encrypted.Concat(new byte[] { 0 }).ToArray();
        var salt = encrypted.ToArray();
        salt[20] ^= 1;
        var chunkSize = encrypted.ToArray();
        chunkSize[36] ^= 1;

        (await Should.ThrowAsync<PoolDbException>(() => DecryptAsync(swapped, key))).Message.ShouldContain("wrong key or passphrase, or the file was modified");
        (await Should.ThrowAsync<PoolDbException>(() => DecryptAsync(dropped, key))).Message.ShouldContain("truncated (its last chunk is missing)");
        (await Should.ThrowAsync<PoolDbException>(() => DecryptAsync(trailing, key))).Message.ShouldContain("data after its last chunk");
        (await Should.ThrowAsync<PoolDbException>(() => DecryptAsync(salt, key))).Message.ShouldContain("wrong key or passphrase");
        (await Should.ThrowAsync<PoolDbException>(() => DecryptAsync(chunkSize, key))).Message.ShouldMatch("damaged|wrong key");
    }

    [Fact]
    public async Task FlippedByteInALaterChunk_NamesTheChunk_AndTheWrongKeyKindIsExplained()
    {
        using var key = NewKey();
        var encrypted = await EncryptAsync(RandomNumberGenerator.GetBytes(PoolDbCipher.ChunkSize + 100), key);
        encrypted[^5] ^= 0x80;
        using var passphrase = PoolDbKey.FromPassphrase("x");

        (await Should.ThrowAsync<PoolDbException>(() => DecryptAsync(encrypted, key))).Message.ShouldContain("chunk 1 fails authentication");
        (await Should.ThrowAsync<PoolDbException>(() => DecryptAsync(encrypted, passphrase))).Message.ShouldContain("encrypted with a key file: pass --key-file");
        (await Should.ThrowAsync<PoolDbException>(() => DecryptAsync("<database/>"u8.ToArray(), key))).Message.ShouldContain("not an encrypted VmBackup pool database dump");
    }

    [Fact]
    public void KeyFile_Base64AndRaw_AreAccepted_OtherSizesAndLooseModesAreRefused()
    {
        var generated = Path.Combine(_dir, "generated.key");
        PoolDbKey.Generate(generated);
        var raw = Path.Combine(_dir, "raw.key");
        WritePrivate(raw, RandomNumberGenerator.GetBytes(32));
        var shortKey = Path.Combine(_dir, "short.key");
        WritePrivate(shortKey, RandomNumberGenerator.GetBytes(16));

        using (var fromBase64 = PoolDbKey.FromKeyFile(generated))
        {
            fromBase64.Kind.ShouldBe(PoolDbKeyKind.KeyFile);
        }

        using (PoolDbKey.FromKeyFile(raw))
        {
        }

        Should.Throw<PoolDbException>(() => PoolDbKey.FromKeyFile(shortKey)).Message.ShouldContain("does not hold a 32-byte key");
        Should.Throw<PoolDbException>(() => PoolDbKey.Generate(generated)).Message.ShouldContain("not overwritten");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(generated).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.SetUnixFileMode(raw, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            Should.Throw<PoolDbException>(() => PoolDbKey.FromKeyFile(raw)).Message.ShouldContain("(mode 0640): refused");
        }
    }

    private static void WritePrivate(string path, byte[] content)
    {
        File.WriteAllBytes(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private PoolDbKey NewKey()
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".key");
        PoolDbKey.Generate(path);
        return PoolDbKey.FromKeyFile(path);
    }

    private static async Task<byte[]> EncryptAsync(byte[] plain, PoolDbKey key)
    {
        using var output = new MemoryStream();
        (await PoolDbCipher.EncryptAsync(new MemoryStream(plain), output, key, CancellationToken.None)).ShouldBe(plain.Length);
        return output.ToArray();
    }

    private static async Task<byte[]> DecryptAsync(byte[] encrypted, PoolDbKey key)
    {
        using var output = new MemoryStream();
        await PoolDbCipher.DecryptAsync(new MemoryStream(encrypted), output, key, CancellationToken.None);
        return output.ToArray();
    }
}
