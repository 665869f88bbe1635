using System.Text;
using FsCheck;
using FsCheck.Fluent;
using static Knocknoc.Entra.Sdk.Tests.CidrAlgebra.CidrGenerators;

namespace Knocknoc.Entra.Sdk.Tests.GrantStores;

/// <summary>The id escaping and the checksum, checked on arbitrary input.</summary>
public class GrantStoreFormatProperties
{
    private static readonly Gen<string> AnyValidId =
        ArbMap.Default.GeneratorFor<string>()
            .Where(s => !string.IsNullOrEmpty(s) && IsWellFormed(s))
            .Or(Gen.ArrayOf(Gen.Elements("a", " ", "\n", "\t", "%", "%2", "é", "名", "🔐", "~", "+")).Where(a => a.Length > 0).Select(string.Concat));

    [Test]
    public void Escaping_matches_Uri_EscapeDataString_uses_no_separator_and_round_trips()
    {
        Check(Prop.ForAll(AnyValidId.ToArbitrary(), id =>
        {
            var buffer = new byte[id.Length * 9];
            var escaped = GrantStoreFormat.TryEscapeId(id, buffer, out var written);
            var text = buffer.AsSpan(0, written);
            return escaped == GrantIdEscape.Escaped
                && Encoding.ASCII.GetString(text) == Uri.EscapeDataString(id)
                && text.IndexOfAny(" \t\n\r"u8) < 0
                && GrantStoreFormat.TryUnescapeId(text, out var back)
                && back == id;
        }), maxTest: 3000);
    }

    [Test]
    public void Unescaping_arbitrary_bytes_never_throws_and_only_accepts_what_escaping_produces()
    {
        var bytes = Gen.ArrayOf(Gen.Elements("%"u8[0], (byte)'4', (byte)'1', (byte)'F', (byte)'a', (byte)' ', (byte)0xC3, (byte)0xA9, (byte)'~'));
        Check(Prop.ForAll(bytes.ToArbitrary(), input =>
        {
            if (!GrantStoreFormat.TryUnescapeId(input, out var id))
            {
                return true;
            }

            var buffer = new byte[id.Length * 9];
            GrantStoreFormat.TryEscapeId(id, buffer, out var written);

            // Escaping is canonical only up to the case of hex digits and which unreserved bytes were escaped.
            return GrantStoreFormat.TryUnescapeId(buffer.AsSpan(0, written), out var again) && again == id;
        }), maxTest: 3000);
    }

    [Test]
    public void The_checksum_changes_whenever_one_byte_changes()
    {
        var cases = Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>()).Where(a => a.Length > 0)
            .SelectMany(a => Gen.Zip(Gen.Choose(0, a.Length - 1), Gen.Choose(1, 255)), (a, c) => (a, c.Item1, (byte)c.Item2));
        Check(Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (bytes, position, flip) = c;
            var changed = (byte[])bytes.Clone();
            changed[position] ^= flip;
            return GrantStoreFormat.Checksum(bytes) != GrantStoreFormat.Checksum(changed);
        }), maxTest: 3000);
    }

    [Test]
    public void The_checksum_is_FNV_1a_32()
    {
        // Published test vectors, so another implementation of the format can check itself against them.
        Assert.That(GrantStoreFormat.Checksum(""u8), Is.EqualTo(0x811c9dc5u));
        Assert.That(GrantStoreFormat.Checksum("a"u8), Is.EqualTo(0xe40c292cu));
        Assert.That(GrantStoreFormat.Checksum("foobar"u8), Is.EqualTo(0xbf9cf968u));
    }

    /// <summary>No lone surrogate: such ids have no UTF-8 form, and the store refuses them (tested elsewhere).</summary>
    private static bool IsWellFormed(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return false;
            }
        }

        return true;
    }
}
