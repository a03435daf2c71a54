namespace VmBackup.Core.Tests.Nau.Run;

/// <summary>A clock that moves only when told; local time zone +02:00 so local and UTC differ.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset utcNow) : TimeProvider
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.CreateCustomTimeZone("test+2", TimeSpan.FromHours(2), "test+2", "test+2");

    public DateTimeOffset UtcNow { get; private set; } = utcNow;

    public override DateTimeOffset GetUtcNow() => UtcNow;

    public override TimeZoneInfo LocalTimeZone => Zone;

    public void Advance(TimeSpan by) => UtcNow += by;
}
