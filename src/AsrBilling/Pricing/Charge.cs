using System.Globalization;
using System.Text;

namespace AsrBilling;

/// <summary>
/// The price of one service's usage for one tier window (one day by default): the billable
/// quantity, the tier it reached, the unit price, the exact fee and the fee rounded to cents.
/// </summary>
/// <remarks>
/// The fee is computed exactly in <see cref="decimal"/>, multiplying before dividing, and rounded
/// once, to cents, half away from zero (billing rule 5). A charge explains itself: see
/// <see cref="ToString"/>. Equality is by value: equal tables and tiers, equal quantities (1 h
/// equals 3600 s) and equal exact fees. <c>default(Charge)</c> is no charge: its fees are zero in <c>XXX</c>.
/// </remarks>
public readonly struct Charge : IEquatable<Charge>
{
    private readonly decimal _quantity;
    private readonly bool _quantityInSeconds;
    private readonly decimal _exactFee;
    private readonly decimal _fee;
    private readonly decimal _allowanceSeconds;
    private readonly long _packSeconds;

    internal Charge(PriceTable table, PriceTier tier, decimal quantity, bool quantityInSeconds, decimal exactFee, decimal allowanceSeconds = 0m, long packSeconds = 0)
    {
        Table = table;
        Tier = tier;
        _quantity = quantity;
        _quantityInSeconds = quantityInSeconds;
        _exactFee = exactFee;
        _allowanceSeconds = allowanceSeconds;
        _packSeconds = packSeconds;
        // Adding 0.00m gives every fee exactly two decimals (378.0 becomes 378.00), so it prints as cents.
        _fee = Math.Round(exactFee, 2, MidpointRounding.AwayFromZero) + 0.00m;
    }

    /// <summary>The service that was priced.</summary>
    public AsrService Service => Table.Service;

    /// <summary>The price version that was used.</summary>
    public PriceTable Table { get; }

    /// <summary>The tier the window's total reached; all its units are billed at this tier's price.</summary>
    public PriceTier Tier { get; }

    /// <summary>The unit price per hour of <see cref="Tier"/>.</summary>
    public Money UnitPrice => Tier.UnitPrice;

    /// <summary>The billable quantity in hours.</summary>
    /// <value>
    /// Exact when the charge was priced from hours. When it was priced from whole seconds, this is
    /// seconds ÷ 3600 to 28 significant digits; the fee is computed from the seconds.
    /// </value>
    public decimal BillableHours => _quantityInSeconds ? _quantity / 3600m : _quantity;

    /// <summary>The billable quantity in seconds: whole seconds for usage records (billing rule 4), hours × 3600 otherwise.</summary>
    /// <exception cref="OverflowException">Hours × 3600 is outside the range of <see cref="decimal"/>.</exception>
    public decimal BillableSeconds => _quantityInSeconds ? _quantity : _quantity * 3600m;

    /// <summary>The seconds of the quantity that a free monthly allowance covered; they cost nothing.</summary>
    public decimal AllowanceSeconds => _allowanceSeconds;

    /// <summary>The whole seconds of the quantity that prepaid packs covered, after the allowance; they cost nothing (billing rule 11).</summary>
    public long PackSeconds => _packSeconds;

    /// <summary>The seconds billed pay-as-you-go: the quantity less what the allowance and packs covered.</summary>
    public decimal PaidSeconds => BillableSeconds - _allowanceSeconds - _packSeconds;

    /// <summary>The fee before rounding: quantity × unit price, exact to 28 significant digits.</summary>
    public Money ExactFee => Money.Trusted(_exactFee, Table?.Currency ?? "XXX");

    /// <summary>The fee rounded to cents, half away from zero.</summary>
    public Money Fee => Money.Trusted(_fee, Table?.Currency ?? "XXX");

    /// <summary>
    /// Explains the charge invariantly, for example
    /// <c>378.00 USD = 315 h × 1.20 USD/h (real-time, tier 2 of 5: 300 h to 1000 h; prices of 2025-08-19)</c>.
    /// When rounding changed the fee, the exact fee follows. The hours priced are shown as given; tier
    /// bounds and graduated slices, which are worked out, to 2 decimals, half away from zero, with
    /// <c>≈</c> before a rounded value. The properties stay exact.
    /// </summary>
    /// <returns>The explanation.</returns>
    public override string ToString()
    {
        if (Table is null)
        {
            return "(no charge)";
        }

        var text = new StringBuilder();
        text.Append(Fee.ToString()).Append(" = ");
        if (Table.Rules.Mode == TierMode.Graduated)
        {
            var slices = Table.Slices(_quantity, _quantityInSeconds).ToList();
            for (var i = 0; i < slices.Count; i++)
            {
                text.Append(i == 0 ? string.Empty : " + ").Append(Quantity(slices[i].Amount, rounded: true))
                    .Append(" × ").Append(Money.FormatAmount(slices[i].Price)).Append(' ').Append(Table.Currency).Append("/h");
            }

            if (slices.Count == 0)
            {
                text.Append(Quantity(_quantity));
            }
        }
        else
        {
            text.Append(Quantity(_quantity)).Append(" × ").Append(UnitPrice.ToString()).Append("/h");
        }

        text.Append(" (").Append(Service.Id).Append(", ");
        if (Table.Rules.Mode == TierMode.Graduated)
        {
            text.Append("graduated, ");
        }

        text.Append("tier ").Append(Tier.Number.ToString(CultureInfo.InvariantCulture))
            .Append(" of ").Append(Table.Tiers.Length.ToString(CultureInfo.InvariantCulture)).Append(": ")
            .Append(Tier.DescribeRange(Table.Rules.ThresholdRule))
            .Append("; prices of ").Append(IsoDate.Format(Table.EffectiveFrom));
        if (_allowanceSeconds > 0)
        {
            text.Append("; ").Append(Quantity(_allowanceSeconds, inSeconds: true)).Append(" free allowance");
        }

        if (_packSeconds > 0)
        {
            text.Append("; ").Append(Quantity(_packSeconds, inSeconds: true)).Append(" from prepaid packs");
        }

        if (_exactFee != _fee)
        {
            text.Append("; exact ").Append(ExactFee.ToString()).Append(", rounded half away from zero");
        }

        return text.Append(')').ToString();
    }

    /// <summary>
    /// A quantity as hours when it shows exactly in hundredths of an hour, else as seconds. Hours as given
    /// are shown exactly; a slice of them (<paramref name="rounded"/>) is worked out, and shown to 2 decimals.
    /// </summary>
    private string Quantity(decimal amount, bool? inSeconds = null, bool rounded = false)
    {
        if (!(inSeconds ?? _quantityInSeconds))
        {
            return (rounded ? PriceTier.TextHours(amount) : PriceTier.FormatHours(amount)) + " h";
        }

        return amount % 36m == 0m
            ? PriceTier.FormatHours(amount / 3600m) + " h"
            : amount.ToString(CultureInfo.InvariantCulture) + " s";
    }

    /// <inheritdoc />
    public bool Equals(Charge other) =>
        Equals(Table, other.Table) && Equals(Tier, other.Tier) && _exactFee == other._exactFee
        && _allowanceSeconds == other._allowanceSeconds && _packSeconds == other._packSeconds && SameQuantity(other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Charge other && Equals(other);

    private bool SameQuantity(Charge other)
    {
        if (_quantityInSeconds == other._quantityInSeconds)
        {
            return _quantity == other._quantity;
        }

        var (hours, seconds) = _quantityInSeconds ? (other._quantity, _quantity) : (_quantity, other._quantity);
        return hours <= long.MaxValue / 3600m && hours * 3600m == seconds;
    }

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Table, Tier, _exactFee);

    /// <summary>Compares two charges by value: equal tables and tiers, equal quantities (1 h equals 3600 s) and equal exact fees.</summary>
    /// <param name="left">The first charge.</param>
    /// <param name="right">The second charge.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(Charge left, Charge right) => left.Equals(right);

    /// <summary>Compares two charges.</summary>
    /// <param name="left">The first charge.</param>
    /// <param name="right">The second charge.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(Charge left, Charge right) => !left.Equals(right);
}
