namespace VmBackup.Formats.Tests.Support;

/// <summary>Fast equality of large byte arrays, reporting the first differing offset.</summary>
internal static class ByteAssert
{
    public static void Equal(byte[] expected, byte[] actual, string context = "") => Equal(expected.AsSpan(), actual.AsSpan(), context);

    public static void Equal(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, string context = "")
    {
        if (expected.SequenceEqual(actual))
        {
            return;
        }

        var common = Math.Min(expected.Length, actual.Length);
        var first = expected[..common].CommonPrefixLength(actual[..common]);
        throw new Shouldly.ShouldAssertException(
            $"{context}: byte arrays differ (expected length {expected.Length}, actual {actual.Length}); first difference at offset {first}");
    }
}
