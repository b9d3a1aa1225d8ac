using System.Globalization;
using FsCheck;
using FsCheck.Xunit;
using static AsrBilling.Tests.Billing.BillingTestData;

namespace AsrBilling.Tests.Insights;

public class CostAllocationTests
{
    [Fact]
    public void Tags_SplitByTheirSeconds_InExactCents()
    {
        // One day of real-time: 1 h support, 1 h sales, 1 h untagged = 3 h × 1.4 = 4.20, 1.40 each.
        var bill = PriceCalculator.Compute(
        [
            Record(At("2025-09-02T01:00:00Z"), 3600, tag: "support"),
            Record(At("2025-09-02T02:00:00Z"), 3600, tag: "sales"),
            Record(At("2025-09-02T03:00:00Z"), 3600),
        ]);

        var statement = CostAllocation.Allocate(bill);

        statement.Lines.Select(l => (l.Key, l.BillableSeconds, l.Fee.Amount)).Should().Equal(("", 3600L, 1.40m), ("sales", 3600L, 1.40m), ("support", 3600L, 1.40m));
        statement.ByKey.Sum(s => s.Fee.Amount).Should().Be(bill.Total.Amount);
    }

    [Fact]
    public void Lines_NameTheirChargeByIndex_AndShowFeesWithTwoDecimals()
    {
        // Day 1: 1 h support + 1 h sales = 2 h × 1.4 = 2.80, 1.40 each. Day 2: 1 h sales = 1.40.
        // Day 3: 1 h 25 min 43 s = 5143 s × 1.4 / 3600 = 2.0001… → 2.00, whole dollars shown as 2.00.
        var bill = PriceCalculator.Compute(
        [
            Record(At("2025-09-02T01:00:00Z"), 3600, tag: "support"),
            Record(At("2025-09-02T02:00:00Z"), 3600, tag: "sales"),
            Record(At("2025-09-03T02:00:00Z"), 3600, tag: "sales"),
            Record(At("2025-09-04T02:00:00Z"), 5143, tag: "ops"),
        ]);

        var statement = CostAllocation.Allocate(bill);

        statement.Lines.Select(l => l.ChargeIndex).Should().Equal(0, 0, 1, 2);
        statement.Lines.Should().OnlyContain(l => l.Charge.Equals(bill.Charges[l.ChargeIndex]));
        statement.Lines.Select(l => l.Fee.Amount.ToString(CultureInfo.InvariantCulture)).Should().Equal("1.40", "1.40", "1.40", "2.00");
        statement.ByKey.Select(s => s.Fee.Amount.ToString(CultureInfo.InvariantCulture)).Should().Equal("2.00", "2.80", "1.40");
    }

    [Fact]
    public void Lines_ExplainTheirShare_NamingNoTagAndTheDefaultAccount()
    {
        // The default account on one day of real-time: 1 h support, 2 h untagged = 3 h × 1.4 = 4.20,
        // support 1/3 = 1.40, untagged 2/3 = 2.80. acme: 0.5 h × 1.4 = 0.70, all support.
        var bill = PriceCalculator.Compute(
        [
            Record(At("2025-09-02T01:00:00Z"), 3600, tag: "support"),
            Record(At("2025-09-02T02:00:00Z"), 7200),
            Record(At("2025-09-02T03:00:00Z"), 1800, account: "acme", tag: "support"),
        ]);

        CostAllocation.Allocate(bill).Lines.Select(l => l.ToString()).Should().Equal(
            "(none): 2025-09-02 (default account) real-time 7200 s of 10800 s = 2.80 USD",
            "support: 2025-09-02 (default account) real-time 3600 s of 10800 s = 1.40 USD",
            "support: 2025-09-02 acme real-time 1800 s of 1800 s = 0.70 USD");

        var error = FluentActions.Invoking(() => CostAllocation.Allocate(bill, (AllocationKey)5)).Should().Throw<ArgumentOutOfRangeException>().Which;
        error.ParamName.Should().Be("by");
        error.Message.Should().StartWith("Use AllocationKey.Tag or AllocationKey.Account.");
    }

    [Fact]
    public void ByKey_NamesUntaggedSecondsNone_AndTheDefaultAccountByItsName()
    {
        // The default account on one day of real-time: 1 h support, 2 h untagged = 3 h × 1.4 = 4.20,
        // support 1/3 = 1.40, untagged 2/3 = 2.80. By account the whole 4.20 is the default account's.
        var bill = PriceCalculator.Compute(
        [
            Record(At("2025-09-02T01:00:00Z"), 3600, tag: "support"),
            Record(At("2025-09-02T02:00:00Z"), 7200),
        ]);

        CostAllocation.Allocate(bill, AllocationKey.Tag).ByKey.Select(s => s.ToString()).Should().Equal(
            "(none): 2.80 USD (1 charge, 7200 s)",
            "support: 1.40 USD (1 charge, 3600 s)");
        var byAccount = CostAllocation.Allocate(bill, AllocationKey.Account);
        byAccount.ByKey.Select(s => s.ToString()).Should().Equal("(default account): 4.20 USD (1 charge, 10800 s)");
        byAccount.Lines.Select(l => l.ToString()).Should().Equal("(default account): 2025-09-02 (default account) real-time 10800 s of 10800 s = 4.20 USD");
    }

    [Fact]
    public void LargestRemainder_GivesLeftoverCentsToTheLargestRemainders()
    {
        // 1.00 USD among weights 1, 1, 1: 33⅓ cents each; floors 33 + 33 + 33 = 99, one cent left,
        // and the remainders tie, so the first key gets it: 34, 33, 33.
        CostAllocation.Split(100, 3, [1, 1, 1]).Should().Equal(34, 33, 33);
        // 10 cents among 1, 2, 7 of 10: exactly 1, 2, 7.
        CostAllocation.Split(10, 10, [1, 2, 7]).Should().Equal(1, 2, 7);
        // 5 cents among 1, 1, 2 of 4: 1.25, 1.25, 2.5 → floors 1, 1, 2 (4), the cent goes to the largest
        // remainder, 0.5 on the third: 1, 1, 3.
        CostAllocation.Split(5, 4, [1, 1, 2]).Should().Equal(1, 1, 3);
        // A day of 0 s costs 0: one part.
        CostAllocation.Split(0, 0, [0]).Should().Equal(0);
    }

    [Property(MaxTest = 300)]
    public void LargestRemainder_MatchesTheCentByCentDefinition(int seed)
    {
        // Many parts with tied weights (and so tied remainders), as a day of 50 tags has, against the rule
        // as written: floors first, then each cent left to the largest remainder not yet served, ties to the first.
        var random = new Random(seed);
        var weights = Enumerable.Range(0, random.Next(1, 150)).Select(_ => (long)random.Next(0, random.Next(1, 8))).ToArray();
        var total = weights.Sum();
        var cents = total == 0 ? random.Next(0, 1000) : random.NextInt64(0, 10_000_000);

        CostAllocation.Split(cents, total, weights).Should().Equal(CentByCent(cents, total, weights));
    }

    [Fact]
    public void LargestRemainder_OfParts_BeyondTheStack_MatchesTheDefinition()
    {
        // 300 parts: more than the selection holds on the stack.
        var weights = Enumerable.Range(0, 300).Select(i => (long)((i * 7919) % 13)).ToArray();

        CostAllocation.Split(123_457, weights.Sum(), weights).Should().Equal(CentByCent(123_457, weights.Sum(), weights));
    }

    private static long[] CentByCent(long cents, long total, long[] weights)
    {
        if (total == 0)
        {
            return [cents, .. new long[weights.Length - 1]];
        }

        var shares = weights.Select(w => (long)((System.Numerics.BigInteger)cents * w / total)).ToArray();
        var remainders = weights.Select(w => (System.Numerics.BigInteger)cents * w % total).ToArray();
        for (var left = cents - shares.Sum(); left > 0; left--)
        {
            var best = 0;
            for (var i = 1; i < weights.Length; i++)
            {
                best = remainders[i] > remainders[best] ? i : best;
            }

            shares[best]++;
            remainders[best] = -1;
        }

        return shares;
    }

    [Fact]
    public void MonthlyCharges_SplitByEachTagsSecondsOverTheWholeMonth()
    {
        // AWS standard is graduated per month at 1.44 USD/h in its first tier. acme's December:
        // support 1 h + 0.5 h, sales 0.5 h, untagged 1200 s = 8400 s = 3.36 USD, one monthly charge.
        // support 5400/8400 × 3.36 = 2.16, sales 1800/8400 × 3.36 = 0.72, untagged 1200/8400 × 3.36 = 0.48.
        var book = AsrBilling.Tests.PriceData.ExamplePriceFiles.AwsTranscribeUsEast1();
        var aws = book.GetService("aws-transcribe-standard");
        var bill = PriceCalculator.Compute(
            [
                Record(At("2026-12-01T02:00:00Z"), 3600, aws, account: "acme", tag: "support"),
                Record(At("2026-12-02T02:00:00Z"), 1800, aws, account: "acme", tag: "sales"),
                Record(At("2026-12-03T02:00:00Z"), 1800, aws, account: "acme", tag: "support"),
                Record(At("2026-12-03T03:00:00Z"), 1200, aws, account: "acme"),
            ],
            new BillingOptions(priceBook: book));

        var statement = CostAllocation.Allocate(bill);

        bill.Total.Amount.Should().Be(3.36m);
        statement.Lines.Select(l => (l.Key, l.BillableSeconds, l.Fee.Amount)).Should().Equal(("", 1200L, 0.48m), ("sales", 1800L, 0.72m), ("support", 5400L, 2.16m));
        statement.ByKey.Select(s => s.ToString()).Should().Equal(
            "(none): 0.48 USD (1 charge, 1200 s)",
            "sales: 0.72 USD (1 charge, 1800 s)",
            "support: 2.16 USD (1 charge, 5400 s)");
        statement.Lines.Should().HaveCount(3).And.OnlyContain(l => l.Charge.Equals(bill.Charges[0]));
        statement.Lines[2].Should().Be(statement.Lines[2]).And.NotBe(statement.Lines[1]);
        FluentActions.Invoking(() => statement.Lines[3]).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Accounts_TakeTheirWholeCharges()
    {
        var bill = PriceCalculator.Compute(
        [
            Record(At("2025-09-02T01:00:00Z"), 3600, account: "acme"),
            Record(At("2025-09-02T01:00:00Z"), 1800, account: "globex"),
        ]);

        var statement = CostAllocation.Allocate(bill, AllocationKey.Account);

        statement.ByKey.Select(s => (s.Key, s.Fee.Amount)).Should().Equal(("acme", 1.40m), ("globex", 0.70m));
    }

    [Fact]
    public void EmptyBill_IsAClearError()
    {
        var act = () => CostAllocation.Allocate(PriceCalculator.Compute(Array.Empty<UsageRecord>()));

        act.Should().Throw<ArgumentException>().WithMessage("*no charges*nothing to allocate*");
    }

    [Property(MaxTest = 100)]
    public void Parts_AlwaysAddUpToTheCharge(int seed, PositiveInt count)
    {
        var bill = PriceCalculator.Compute(RandomRecords(seed, (count.Get % 200) + 1));

        var statement = CostAllocation.Allocate(bill);

        foreach (var group in statement.Lines.GroupBy(l => l.Charge))
        {
            group.Sum(l => l.Fee.Amount).Should().Be(group.Key.Fee.Amount);
            group.Sum(l => l.BillableSeconds).Should().Be(group.Key.BillableSeconds);
            group.Should().OnlyContain(l => decimal.Round(l.Fee.Amount, 2, MidpointRounding.ToZero) == l.Fee.Amount);
            // Each part is within one cent of its exact share.
            group.Should().OnlyContain(l => Math.Abs(l.Fee.Amount - (group.Key.Fee.Amount * l.Share)) < 0.01m);
        }

        statement.ByKey.Sum(s => s.Fee.Amount).Should().Be(bill.Total.Amount);
    }
}

public class AllocateByCliTests
{
    [Fact]
    public void Bill_AllocateByTag_ReconcilesWithTheBill()
    {
        var (code, output, error) = AsrBilling.Tests.Cli.CliRunner.Run("bill", "--sample", "--allocate-by", "tag", "--format", "json");

        code.Should().Be(0, error);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        var totals = json.RootElement.GetProperty("totals").EnumerateArray().ToList();
        totals.Sum(t => t.GetProperty("fee").GetDecimal()).Should().Be(323.98m);
        // The 312 h of globex's meetings are one tag: 296.40 (see the sample's bill).
        totals.Single(t => t.GetProperty("tag").GetString() == "meetings").GetProperty("fee").GetDecimal().Should().Be(296.40m);
        json.RootElement.GetProperty("lines").EnumerateArray()
            .GroupBy(l => (l.GetProperty("account").GetString(), l.GetProperty("service").GetString(), l.GetProperty("date").GetString()))
            .Should().OnlyContain(g => g.Sum(l => l.GetProperty("fee").GetDecimal()) == g.First().GetProperty("chargeFee").GetDecimal());
    }

    [Fact]
    public void Bill_AllocateByTag_Csv_EscapesKeysAndAccounts()
    {
        // acme's 2 h of real-time on 2025-09-02 = 2 × 1.40 = 2.80 USD: 1 h "=sum" 1.40, 0.5 h x"y 0.70, 0.5 h untagged 0.70.
        var dir = Directory.CreateTempSubdirectory("asr-allocate-").FullName;
        try
        {
            var usage = Path.Combine(dir, "usage.csv");
            File.WriteAllText(usage, string.Join("\n",
                "account,service,start,duration_seconds,tag",
                "\"a,b\",real-time,2025-09-02T01:00:00Z,3600,=sum",
                "\"a,b\",real-time,2025-09-02T02:00:00Z,1800,\"x\"\"y\"",
                "\"a,b\",real-time,2025-09-02T03:00:00Z,1800,") + "\n");

            var (code, output, error) = AsrBilling.Tests.Cli.CliRunner.Run("bill", usage, "--allocate-by", "tag", "--format", "csv");

            code.Should().Be(0, error);
            output.Should().Be(
                "tag,account,service,date,billable_seconds,share,currency,fee\n" +
                ",\"a,b\",real-time,2025-09-02,1800,0.25,USD,0.70\n" +
                "'=sum,\"a,b\",real-time,2025-09-02,3600,0.5,USD,1.40\n" +
                "\"x\"\"y\",\"a,b\",real-time,2025-09-02,1800,0.25,USD,0.70\n");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Bill_AllocateByTag_CsvOfManyChunks_HasTheJsonLines()
    {
        // About 190,000 lines: a dozen chunks of the CSV writer, whose pooled line and charge blocks are each used
        // again several times. The JSON writer works from the statement's line objects, so the two agree only if no
        // block carries another chunk's lines or charges.
        var dir = Directory.CreateTempSubdirectory("asr-allocate-").FullName;
        try
        {
            var usage = Path.Combine(dir, "usage.csv");
            File.WriteAllText(usage, AsrBilling.Tests.Cli.CliRunner.Run("sample", "--records", "200000", "--accounts", "300", "--tags", "50", "--seed", "5").Out);

            var (csvCode, csv, csvError) = AsrBilling.Tests.Cli.CliRunner.Run("bill", usage, "--allocate-by", "tag", "--format", "csv");
            var (jsonCode, json, jsonError) = AsrBilling.Tests.Cli.CliRunner.Run("bill", usage, "--allocate-by", "tag", "--format", "json");

            csvCode.Should().Be(0, csvError);
            jsonCode.Should().Be(0, jsonError);
            var rows = csv.TrimEnd('\n').Split('\n')[1..];
            using var document = System.Text.Json.JsonDocument.Parse(json);
            var lines = document.RootElement.GetProperty("lines").EnumerateArray().Select(l => string.Join(
                ',',
                l.GetProperty("tag").GetString(),
                l.GetProperty("account").GetString(),
                l.GetProperty("service").GetString(),
                l.GetProperty("date").GetString(),
                l.GetProperty("billableSeconds").GetInt64().ToString(CultureInfo.InvariantCulture),
                l.GetProperty("share").GetRawText(),
                l.GetProperty("currency").GetString(),
                l.GetProperty("fee").GetRawText())).ToArray();
            lines.Length.Should().BeGreaterThan(8 * 16_384, "the writer's chunks must outnumber its pooled blocks");
            rows.Should().Equal(lines);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Bill_AllocateByAccount_Csv()
    {
        var (code, output, _) = AsrBilling.Tests.Cli.CliRunner.Run("bill", "--sample", "--allocate-by", "account", "--format", "csv");

        code.Should().Be(0);
        output.Split('\n')[0].Should().Be("account,service,date,billable_seconds,share,currency,fee");
        output.Should().Contain("globex,recording-file,2025-09-03,1123200,1,USD,296.40");
    }

    [Fact]
    public void Split_CentsTimesSecondsBeyond64Bits_StaysExact()
    {
        // 10^12 cents by a = 2^40 s and b = 2^40 + 1 s (total T = 2a + 1): the products pass 2^63.
        // a's share is 10^12·a/T = 5·10^11 − 10^12/(2T) = 499,999,999,999.77…; b's is 500,000,000,000.22…;
        // the floors give 999,999,999,999 and the cent left goes to a's larger remainder.
        CostAllocation.Split(1_000_000_000_000, 2_199_023_255_553, [1_099_511_627_776, 1_099_511_627_777])
            .Should().Equal(500_000_000_000, 500_000_000_000);

        // 10^12 cents by 1 s and 3·2^40 s: 1's share is 10^12/(3·2^40 + 1) = 0.303…, the other's 999,999,999,999.69…
        CostAllocation.Split(1_000_000_000_000, 3_298_534_883_329, [1, 3_298_534_883_328])
            .Should().Equal(0, 1_000_000_000_000);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(9)] // more ranges than charges
    public void Allocate_InRangesOfCharges_GivesTheSameHandWorkedLines(int ranges)
    {
        // Three charges on real-time (1.40 USD/h): the default account on 2025-09-02, 1 h support + 2 h
        // untagged = 4.20 (1.40, 2.80); acme the same day, 0.5 h support = 0.70; acme on 2025-09-03,
        // 1 h sales + 1 h support = 2.80 (1.40 each).
        var bill = PriceCalculator.Compute(
        [
            Record(At("2025-09-02T01:00:00Z"), 3600, tag: "support"),
            Record(At("2025-09-02T02:00:00Z"), 7200),
            Record(At("2025-09-02T03:00:00Z"), 1800, account: "acme", tag: "support"),
            Record(At("2025-09-03T03:00:00Z"), 3600, account: "acme", tag: "sales"),
            Record(At("2025-09-03T04:00:00Z"), 3600, account: "acme", tag: "support"),
        ]);

        var statement = CostAllocation.Allocate(bill, AllocationKey.Tag, ranges);

        statement.Lines.Select(l => (l.Key, l.Charge.Account, l.BillableSeconds, l.Fee.Amount)).Should().Equal(
            ("", "", 7200L, 2.80m),
            ("support", "", 3600L, 1.40m),
            ("support", "acme", 1800L, 0.70m),
            ("sales", "acme", 3600L, 1.40m),
            ("support", "acme", 3600L, 1.40m));
        statement.ByKey.Sum(s => s.Fee.Amount).Should().Be(7.70m);
    }

    [Fact]
    public void Allocate_InRanges_MatchesOneRange_OnManyAccountsServicesAndDays()
    {
        // Charges are ordered by account, service and date, which is not the order of the daily totals'
        // tags across services: ranges must still write every line once, in charge order.
        var random = new Random(7);
        AsrService[] services = [AsrService.RealTime, AsrService.RecordingFile, AsrService.All[^1]];
        var records = Enumerable.Range(0, 600).Select(i => Record(
            At("2025-09-01T00:00:00Z").Plus(NodaTime.Duration.FromHours(random.Next(24 * 40))),
            random.Next(1, 5000),
            services[random.Next(services.Length)],
            account: $"a{random.Next(9)}",
            tag: random.Next(4) == 0 ? null : $"t{random.Next(5)}")).ToList();
        var bill = PriceCalculator.Compute(records);

        var one = CostAllocation.Allocate(bill, AllocationKey.Tag, 1);
        foreach (var ranges in new[] { 2, 5, 64 })
        {
            var split = CostAllocation.Allocate(bill, AllocationKey.Tag, ranges);
            split.Lines.Select(l => l.ToString()).Should().Equal(one.Lines.Select(l => l.ToString()));
            split.ByKey.Should().Equal(one.ByKey);
        }
    }
}
