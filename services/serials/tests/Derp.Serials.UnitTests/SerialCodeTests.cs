using Derp.Serials.Api.Services;

namespace Derp.Serials.UnitTests;

public sealed class SerialCodeTests
{
    [Theory]
    [InlineData(SerialCodes.MinLength)]
    [InlineData(SerialCodes.DefaultLength)]
    [InlineData(SerialCodes.MaxLength)]
    public void Codes_have_the_asked_length_and_only_unambiguous_characters(int length)
    {
        for (var i = 0; i < 200; i++)
        {
            var code = SerialCodes.NewCode(length);
            code.Length.ShouldBe(length);
            code.ShouldAllBe(c => SerialCodes.Alphabet.Contains(c));
        }
    }

    [Fact]
    public void The_alphabet_has_no_look_alikes()
    {
        foreach (var lookAlike in "01OIL")
            SerialCodes.Alphabet.ShouldNotContain(lookAlike);
        SerialCodes.Alphabet.Distinct().Count().ShouldBe(SerialCodes.Alphabet.Length);
    }

    [Fact]
    public void Every_character_of_the_alphabet_is_drawn_about_equally_often()
    {
        // 310 000 draws, 10 000 expected per character: a CSPRNG stays well within ±5 % (about 5 standard deviations).
        var counts = SerialCodes.Alphabet.ToDictionary(c => c, _ => 0);
        for (var i = 0; i < 31_000; i++)
            foreach (var c in SerialCodes.NewCode(10))
                counts[c]++;

        counts.Values.ShouldAllBe(n => n > 9_500 && n < 10_500);
    }

    [Fact]
    public void A_full_code_is_the_prefix_a_dash_and_the_code() =>
        SerialCodes.FullCode("VIP", "ABCDEFGHJK").ShouldBe("VIP-ABCDEFGHJK");

    [Theory]
    [InlineData("  vip-abcdefghjk ", "VIP-ABCDEFGHJK")]
    [InlineData("VIP-ABCDEFGHJK", "VIP-ABCDEFGHJK")]
    public void Input_is_matched_trimmed_and_case_insensitively(string input, string expected) =>
        SerialCodes.Normalize(input).ShouldBe(expected);

    [Theory]
    [InlineData("VIP", true)]
    [InlineData("a1", true)]
    [InlineData("ABCDEFGHIJKLMNOP", true)]
    [InlineData("ABCDEFGHIJKLMNOPQ", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("VI-P", false)]
    [InlineData("VIP ", false)]
    [InlineData("卡密", false)]
    public void Prefixes_are_1_to_16_ascii_letters_or_digits(string? prefix, bool valid) =>
        SerialCodes.IsValidPrefix(prefix).ShouldBe(valid);
}
