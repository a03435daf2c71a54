using VmBackup.Core.PoolDb;

namespace VmBackup.Core.Tests.PoolDb;

/// <summary>Rotation keeps the newest dumps and touches nothing else.</summary>
public sealed class PoolDbRotationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmbackup-rotation-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Rotate_KeepsTheNewestN_PlainAndEncryptedTogether_AndIgnoresOtherFiles()
    {
        string[] names =
        [
            "pool_db_20240101-000000.dump", "pool_db_20240102-000000.dump.enc", "pool_db_20240103-000000.dump",
            "pool_db_20240104-000000.dump.partial", "pool_db_latest.dump", "notes.txt",
        ];
        foreach (var name in names)
        {
            File.WriteAllText(Path.Combine(_dir, name), name);
        }

        var deleted = PoolDbRotation.Rotate(_dir, 2);

        deleted.Select(Path.GetFileName).ShouldBe(["pool_db_20240101-000000.dump"]);
        Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(
            ["notes.txt", "pool_db_20240102-000000.dump.enc", "pool_db_20240103-000000.dump", "pool_db_20240104-000000.dump.partial", "pool_db_latest.dump"]);
        PoolDatabaseBackup.FileName(new DateTimeOffset(2024, 3, 9, 1, 2, 3, TimeSpan.Zero), encrypted: true).ShouldBe("pool_db_20240309-010203.dump.enc");
        Should.Throw<ArgumentOutOfRangeException>(() => PoolDbRotation.Rotate(_dir, 0));
    }
}
