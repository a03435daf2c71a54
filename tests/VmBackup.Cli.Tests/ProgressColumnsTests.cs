using VmBackup.Cli.Progress;

namespace VmBackup.Cli.Tests;

public sealed class ProgressColumnsTests
{
    [Theory]
    [InlineData(20L << 20, 2000, "10.0 MiB/s")]
    [InlineData(0L, 1000, "0.0 MiB/s")]
    [InlineData(3L << 30, 4000, "768.0 MiB/s")]
    public void The_rate_is_bytes_over_the_time_since_the_start(long bytes, int milliseconds, string expected)
        => AverageRateColumn.Format(bytes, TimeSpan.FromMilliseconds(milliseconds), finished: false).ShouldBe(expected);

    [Fact]
    public void No_rate_before_a_quarter_of_a_second_or_before_the_start_but_a_finished_transfer_shows_its_average()
    {
        AverageRateColumn.Format(20L << 20, TimeSpan.FromMilliseconds(100), finished: false).ShouldBe("-", "20 MiB after 0.1 s says little yet");
        AverageRateColumn.Format(20L << 20, null, finished: false).ShouldBe("-");
        AverageRateColumn.Format(20L << 20, TimeSpan.FromMilliseconds(100), finished: true).ShouldBe("200.0 MiB/s");
    }

    [Theory]
    [InlineData(5L << 20, 20L << 20, false, "5.0 MiB/20.0 MiB")]
    [InlineData(20L << 20, 20L << 20, true, "20.0 MiB")]
    [InlineData(1536L, 1L, true, "1.5 KiB")]
    public void The_transferred_column_counts_in_binary_units(long done, long expected, bool doneOnly, string text)
        => TransferredColumn.Format(done, expected, doneOnly).ShouldBe(text);
}
