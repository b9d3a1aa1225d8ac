using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace AsrBilling.Cli.Output;

/// <summary>
/// The fee of one tier window against its hours, one line per service, drawn with OxyPlot and
/// exported as SVG. A volume table's line drops at each threshold: the tier cliffs are visible.
/// </summary>
internal static class CostCurve
{
    /// <summary>
    /// The corners of a table's fee curve from 0 h to <paramref name="toHours"/>: each tier's start and
    /// its end just below the next threshold, where a volume table then drops. Fees are exact decimals;
    /// they become plot coordinates (double) only when drawn.
    /// </summary>
    public static List<(decimal Hours, decimal Fee)> Points(PriceTable table, decimal toHours)
    {
        var points = new List<(decimal Hours, decimal Fee)>();
        foreach (var tier in table.Tiers)
        {
            if (tier.FromHours > toHours)
            {
                break;
            }

            // The right limit at the tier's start: under up-to-inclusive the threshold itself is still the tier below.
            var start = table.Rules.Mode == TierMode.Volume
                ? tier.FromHours * tier.UnitPrice.Amount
                : PriceCalculator.Compute(table, tier.FromHours).ExactFee.Amount;
            points.Add((tier.FromHours, start));
            var end = tier.ToHours is { } to && to < toHours ? to : toHours;
            // The left limit at the next threshold: what a total just below it costs.
            var fee = table.Rules.Mode == TierMode.Volume
                ? end * tier.UnitPrice.Amount
                : PriceCalculator.Compute(table, end).ExactFee.Amount;
            points.Add((end, fee));
        }

        return points;
    }

    public static PlotModel Model(IReadOnlyList<PriceTable> tables, decimal toHours)
    {
        var currency = tables[0].Currency;
        var model = new PlotModel
        {
            Title = "Fee of one tier window against its hours",
            Subtitle = "With all-units tiers the fee drops at each threshold: a total just below one costs more than the threshold itself.",
            Background = OxyColors.White,
            DefaultFont = "Arial",
            Padding = new OxyThickness(12, 16, 24, 8),
        };
        model.Legends.Add(new Legend
        {
            LegendPosition = LegendPosition.TopLeft,
            LegendPlacement = LegendPlacement.Inside,
            LegendBackground = OxyColors.White,
            LegendBorder = OxyColors.LightGray,
            LegendSymbolLength = 24,
            LegendPadding = 14,
        });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "hours per window", Minimum = 0, Maximum = (double)toHours, MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = $"fee ({currency})", Minimum = 0, MajorGridlineStyle = LineStyle.Dot, AxisTitleDistance = 12 });
        foreach (var table in tables)
        {
            var series = new LineSeries { Title = table.Service.Id, StrokeThickness = 2 };
            series.Points.AddRange(Points(table, toHours).Select(p => new DataPoint((double)p.Hours, (double)p.Fee)));
            model.Series.Add(series);
        }

        return model;
    }

    public static string Svg(PlotModel model)
    {
        // OxyPlot's PDF context measures text with real font metrics, so labels and the legend fit.
        const double Width = 900, Height = 560;
        var measurer = new PdfRenderContext(Width, Height, model.Background);
        return new SvgExporter { Width = Width, Height = Height, IsDocument = true, UseVerticalTextAlignmentWorkaround = true, TextMeasurer = measurer }
            .ExportToString(model);
    }
}
