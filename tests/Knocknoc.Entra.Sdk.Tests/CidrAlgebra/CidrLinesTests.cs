using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using static Knocknoc.Entra.Sdk.Tests.CidrAlgebra.CidrGenerators;

namespace Knocknoc.Entra.Sdk.Tests.CidrAlgebra;

/// <summary><see cref="Cidr.ParseLines"/>: a whole list in one buffer reads as its lines read one by one.</summary>
public class CidrLinesTests
{
    /// <summary>Lines near a canonical IPv4 CIDR (what the line reader's quick path takes or declines), IPv6, and noise.</summary>
    private static readonly Gen<string> Line =
        Gen.Frequency(
            (4, AnyCidr.Where(c => c.IsIPv4).Select(c => c.ToString())),
            (1, AnyCidr.Where(c => c.IsIPv6).Select(c => c.ToString())),
            (2, AnyCidr.Where(c => c.IsIPv4).SelectMany(c => Gen.Choose(0, 60), (c, cut) => DamageLine(c.ToString(), cut))),
            (1, AnyCidr.Where(c => c.IsIPv4 && c.PrefixLength > 0).Select(c => $"{c.BaseAddress}/{c.PrefixLength - 1}")),
            (2, NumbersAtTheLimits),
            (1, Gen.ArrayOf(Gen.Elements("0123456789./ :\r\u00e9".ToCharArray())).Select(chars => new string(chars))),
            (1, Gen.Constant(string.Empty)));

    /// <summary>Dotted quads whose numbers sit at and just past their limits: octets 255 and 256, prefix lengths 32 and 33.</summary>
    private static Gen<string> NumbersAtTheLimits =>
        from octets in Gen.ArrayOf(Gen.Frequency((3, Gen.Choose(0, 255)), (1, Gen.Elements(0, 9, 10, 99, 100, 255, 256, 999))), 4)
        from prefix in Gen.Elements(0, 1, 9, 10, 24, 31, 32, 33, 39, 99)
        select string.Join('.', octets) + "/" + prefix.ToString(CultureInfo.InvariantCulture);

    /// <summary>A list: lines, each ended by \n or \r\n, the last one's end sometimes left out.</summary>
    private static readonly Gen<string> List = ListOf(Line);

    /// <summary>
    /// A list whose lines each read alone. Its lines are picked one by one: filtering whole lists instead discards
    /// almost every long one, which made the test that uses it the slowest of the CIDR tests (8 s of 18).
    /// </summary>
    private static readonly Gen<string> GoodList = ListOf(Line.Where(line => ReadOneByOne(line).BadLine == 0));

    private static Gen<string> ListOf(Gen<string> line) =>
        from lines in Gen.ArrayOf(Gen.Zip(line, Gen.Elements("\n", "\r\n")))
        from lastEnded in Gen.Elements(true, false)
        select string.Concat(lines.Select((line, i) => line.Item1 + (i < lines.Length - 1 || lastEnded ? line.Item2 : string.Empty)));

    [Test]
    public void A_list_reads_as_its_lines_read_one_by_one_up_to_the_first_bad_line()
    {
        Check(Prop.ForAll(List.ToArbitrary(), text =>
        {
            var (expected, badLine) = ReadOneByOne(text);
            var utf8 = Encoding.UTF8.GetBytes(text);
            var destination = new Cidr[expected.Count + 1];
            try
            {
                var written = Cidr.ParseLines(utf8, destination, out var consumed);
                return badLine == 0 && destination.AsSpan(0, written).SequenceEqual(expected.ToArray()) && consumed == utf8.Length;
            }
            catch (FormatException e)
            {
                // What was read before the bad line stays in the destination.
                return badLine > 0 && e.Message.StartsWith($"Line {badLine}: ", StringComparison.Ordinal)
                    && destination.AsSpan(0, expected.Count).SequenceEqual(expected.ToArray());
            }
        }), maxTest: 5000);
    }

    [Test]
    public void A_list_read_into_a_small_destination_and_continued_from_bytes_consumed_reads_the_same()
    {
        // Lines that read alone can still meet badly (one ending in \r before \r\n), so the whole list is checked too.
        var cases = Gen.Zip(GoodList.Where(t => ReadOneByOne(t).BadLine == 0), Gen.Choose(1, 5)).ToArbitrary();
        Check(Prop.ForAll(cases, c =>
        {
            var (text, size) = c;
            var utf8 = Encoding.UTF8.GetBytes(text);
            var read = new List<Cidr>();
            var destination = new Cidr[size];
            var position = 0;
            while (position < utf8.Length)
            {
                var written = Cidr.ParseLines(utf8.AsSpan(position), destination, out var consumed);
                read.AddRange(destination.AsSpan(0, written));
                if (written < size && position + consumed != utf8.Length)
                {
                    return false;
                }

                position += consumed;
            }

            return read.SequenceEqual(ReadOneByOne(text).Cidrs);
        }), maxTest: 2000);
    }

    [Test]
    public void Line_ends_empty_lines_and_a_last_line_without_an_end_are_read()
    {
        var utf8 = "10.0.0.0/8\r\n\n\r\n2001:db8::/32\n192.0.2.1/32"u8;
        var destination = new Cidr[4];

        var written = Cidr.ParseLines(utf8, destination, out var consumed);

        Assert.That(destination[..written], Is.EqualTo(new[] { Cidr.Parse("10.0.0.0/8"), Cidr.Parse("2001:db8::/32"), Cidr.Parse("192.0.2.1/32") }));
        Assert.That(consumed, Is.EqualTo(utf8.Length));
    }

    [Test]
    public void A_full_destination_stops_reading_at_the_start_of_the_next_line()
    {
        var text = string.Concat(Enumerable.Range(0, 40).Select(i => $"10.0.{i}.0/24\n"));
        var utf8 = Encoding.UTF8.GetBytes(text);
        var destination = new Cidr[3];

        var written = Cidr.ParseLines(utf8, destination, out var consumed);

        Assert.That(written, Is.EqualTo(3));
        Assert.That(Encoding.UTF8.GetString(utf8, 0, consumed), Is.EqualTo("10.0.0.0/24\n10.0.1.0/24\n10.0.2.0/24\n"));
        Assert.That(destination[2], Is.EqualTo(Cidr.Parse("10.0.2.0/24")));
    }

    [TestCase("10.0.0.0/8\n10.0.0.1/8\n", 2, "'10.0.0.1/8' is not a valid CIDR: bits are set after the prefix length")]
    [TestCase("10.0.0.0/8\n\n 10.0.0.0/8\n", 3, "' 10.0.0.0/8' is not a valid CIDR: it has surrounding whitespace")]
    [TestCase("010.0.0.0/8\n", 1, "'010.0.0.0/8' is not a valid CIDR: the address part is not an IPv4 or IPv6 address")]
    [TestCase("2001:db8::/129", 1, "'2001:db8::/129' is not a valid CIDR: the prefix length is out of range for IPv6")]
    [TestCase("10.0.0.0/8\r\r\n", 1, "is not a valid CIDR: it has surrounding whitespace")]
    public void A_bad_line_fails_with_its_number_its_text_and_why(string text, int line, string why)
    {
        var destination = new Cidr[8];

        var failure = Assert.Throws<FormatException>(() => Cidr.ParseLines(Encoding.UTF8.GetBytes(text), destination, out _));

        Assert.That(failure!.Message, Does.StartWith($"Line {line.ToString(CultureInfo.InvariantCulture)}: "));
        Assert.That(failure.Message, Does.Contain(why));
    }

    [Test]
    public void A_hostile_line_is_quoted_short_and_bytes_that_are_not_UTF8_fail_as_such()
    {
        var destination = new Cidr[8];
        var huge = Encoding.UTF8.GetBytes("10.0.0.0/8\n" + new string('9', 100_000) + "\n");
        var notUtf8 = new byte[] { (byte)'1', 0xC3, 0x28, (byte)'\n' };

        var tooLong = Assert.Throws<FormatException>(() => Cidr.ParseLines(huge, destination, out _));
        var invalid = Assert.Throws<FormatException>(() => Cidr.ParseLines(notUtf8, destination, out _));

        Assert.That(tooLong!.Message, Is.EqualTo($"Line 2: '{new string('9', 64)}...' is not a valid CIDR: the text is longer than 256 characters."));
        Assert.That(invalid!.Message, Does.StartWith("Line 1: ").And.EndWith("the bytes are not valid UTF-8."));
    }

    [Test]
    public void Every_byte_in_every_place_of_an_IPv4_line_reads_as_the_line_alone_does()
    {
        // What the quick path sees: the line with one byte replaced, then lines enough for its 32-byte window.
        var template = "192.168.100.200/32\n";
        var rest = "10.0.0.0/8\n10.0.0.0/8\n10.0.0.0/8\n"u8.ToArray();
        var destination = new Cidr[8];
        for (var place = 0; place < template.Length; place++)
        {
            for (var value = 0; value < 256; value++)
            {
                var utf8 = Encoding.UTF8.GetBytes(template).Concat(rest).ToArray();
                utf8[place] = (byte)value;
                AssertReadsAsEachLineAlone(utf8, destination, $"byte {value} at {place}");
            }
        }
    }

    [Test]
    public void Lines_wrong_in_every_part_at_once_read_through_the_quick_path_as_each_line_alone_does()
    {
        // A single wrong byte (the test above) leaves the other octets right, so a quick path that let a wrong octet
        // through only when all four are wrong would pass it. Here each part of a line is wrong or right on its own:
        // octets past 255, with leading zeros, empty, four digits long or not ASCII; prefixes past 32, with a leading
        // zero or not a digit at all; and either line end. Each line is followed by enough lines for the quick path's
        // window, so it is the quick path that reads it first.
        // NotAscii stands for one byte 0xD0-0xD9: a digit's place when 48 is added, wrapping.
        const string NotAscii = "non-ASCII";
        string[] octets = ["256", "300", "999", "01", "00", "1000", string.Empty, NotAscii, "9", "25", "255"];
        string[] prefixes = ["33", "39", "99", "100", "09", "00", string.Empty, "A", ":", "@", "P", "/8", "8 "];
        var random = new Random(20261206);
        var padding = "10.0.0.0/8\n10.0.0.0/8\n10.0.0.0/8\n"u8.ToArray();
        var destination = new Cidr[8];

        // First the combinations a random draw rarely makes: every octet empty, every octet a non-ASCII byte just
        // past the digits' place when 48 is added, every octet past 255.
        byte[][] rare =
        [
            ".../0\n"u8.ToArray(), ".../32\r\n"u8.ToArray(), [0xD0, (byte)'.', 0xD1, (byte)'.', 0xD5, (byte)'.', 0xD9, .. "/32\n"u8],
            "256.300.999.400/32\n"u8.ToArray(), "0.0.0.0/A\n"u8.ToArray(), "0.0.0.0/:\n"u8.ToArray(), "01.02.03.04/32\n"u8.ToArray(),
        ];
        foreach (var line in rare)
        {
            AssertReadsAsEachLineAlone([.. line, .. padding], destination, Shown(line));
        }

        for (var i = 0; i < 40_000; i++)
        {
            var line = new List<byte>();
            for (var o = 0; o < 4; o++)
            {
                if (o > 0)
                {
                    line.Add((byte)'.');
                }

                var octet = random.Next(2) == 0 ? octets[random.Next(octets.Length)] : random.Next(256).ToString(CultureInfo.InvariantCulture);
                line.AddRange(octet == NotAscii ? [(byte)(0xD0 + random.Next(10))] : Encoding.ASCII.GetBytes(octet));
            }

            line.Add((byte)'/');
            line.AddRange(Encoding.ASCII.GetBytes(random.Next(2) == 0 ? prefixes[random.Next(prefixes.Length)] : random.Next(33).ToString(CultureInfo.InvariantCulture)));
            line.AddRange(random.Next(2) == 0 ? "\n"u8.ToArray() : "\r\n"u8.ToArray());
            AssertReadsAsEachLineAlone([.. line, .. padding], destination, Shown([.. line]));
        }

        static string Shown(byte[] line) => Encoding.Latin1.GetString(line).ReplaceLineEndings("|");
    }

    /// <summary>
    /// <see cref="Cidr.ParseLines"/> reads <paramref name="utf8"/> as its lines read one by one: the same values, or a
    /// failure naming the first bad line.
    /// </summary>
    private static void AssertReadsAsEachLineAlone(byte[] utf8, Cidr[] destination, string shown)
    {
        var (expected, badLine) = ReadOneByOne(utf8);
        int written;
        try
        {
            written = Cidr.ParseLines(utf8, destination, out _);
        }
        catch (FormatException e)
        {
            Assert.That(e.Message, Does.StartWith($"Line {badLine.ToString(CultureInfo.InvariantCulture)}: "), shown);
            return;
        }

        Assert.That(badLine, Is.Zero, shown);
        Assert.That(destination[..written], Is.EqualTo(expected), shown);
    }

    /// <summary>The documented reading, line by line with <see cref="Cidr.TryParse(ReadOnlySpan{byte}, out Cidr)"/>.</summary>
    private static (List<Cidr> Cidrs, int BadLine) ReadOneByOne(string text) => ReadOneByOne(Encoding.UTF8.GetBytes(text));

    private static (List<Cidr> Cidrs, int BadLine) ReadOneByOne(byte[] utf8)
    {
        var cidrs = new List<Cidr>();
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i <= utf8.Length; i++)
        {
            // A final line end leaves an empty piece after it that is no line.
            if (i == utf8.Length ? start < utf8.Length : utf8[i] == '\n')
            {
                lines.Add(utf8[start..i]);
                start = i + 1;
            }
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Length > 0 && lines[i][^1] == '\r' ? lines[i][..^1] : lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            if (!Cidr.TryParse(line, out var cidr))
            {
                return (cidrs, i + 1);
            }

            cidrs.Add(cidr);
        }

        return (cidrs, 0);
    }

    /// <summary>
    /// Damages a line at <paramref name="position"/> as list files get damaged: a character removed, or a dot, a digit
    /// or a stray \r inserted. (<see cref="CidrGenerators.Mutate"/> inserts colons and zeros, for addresses alone.)
    /// </summary>
    private static string DamageLine(string text, int position)
    {
        position %= text.Length + 1;
        return (position % 5) switch
        {
            0 => text.Remove(Math.Min(position, text.Length - 1), 1),
            1 => text.Insert(position, "."),
            2 => text.Insert(position, "0"),
            3 => text.Insert(position, "9"),
            _ => text.Insert(position, "\r"),
        };
    }
}
