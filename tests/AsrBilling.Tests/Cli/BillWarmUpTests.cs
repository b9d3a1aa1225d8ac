using AsrBilling.Cli.Commands;
using AsrBilling.Cli.Output;

namespace AsrBilling.Tests.Cli;

public class BillWarmUpTests
{
    public static TheoryData<string, string, bool, AllocationKey?> Forms()
    {
        var data = new TheoryData<string, string, bool, AllocationKey?>();
        foreach (var book in new[] { "international", "china" })
        {
            foreach (var format in Enum.GetValues<BillFormat>())
            {
                data.Add(book, format.ToString(), false, null);
                if (format != BillFormat.Focus)
                {
                    data.Add(book, format.ToString(), true, null);
                    data.Add(book, format.ToString(), false, AllocationKey.Tag);
                    data.Add(book, format.ToString(), false, AllocationKey.Account);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void Run_PricesAndWritesEveryFormOfOutput(string book, string format, bool byMonth, AllocationKey? allocateBy)
    {
        var options = new BillingOptions(book == "china" ? PriceBook.TencentCloudChina : PriceBook.TencentCloudInternational);

        // On the calling thread, so that a failure the background task would swallow fails the test.
        var run = () => BillWarmUp.Run(options, Enum.Parse<BillFormat>(format), byMonth, allocateBy);

        run.Should().NotThrow();
    }

    [Fact]
    public async Task Start_RunsOnAnotherThreadToCompletion()
    {
        var warmUp = BillWarmUp.Start(BillingOptions.Default, BillFormat.Json, byMonth: false, allocateBy: null);
        await warmUp;

        warmUp.IsCompletedSuccessfully.Should().BeTrue();
    }
}
