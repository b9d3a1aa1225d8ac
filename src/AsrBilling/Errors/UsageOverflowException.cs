using System.Globalization;
using NodaTime;

namespace AsrBilling;

/// <summary>A day's billable seconds for one account and service exceed <see cref="long.MaxValue"/>.</summary>
public sealed class UsageOverflowException : AsrBillingException
{
    /// <summary>Creates the exception for the key whose total overflowed.</summary>
    /// <param name="account">The account; empty for the default account.</param>
    /// <param name="serviceId">The service id.</param>
    /// <param name="date">The billing date.</param>
    /// <param name="innerException">The arithmetic overflow.</param>
    public UsageOverflowException(string account, string serviceId, LocalDate date, Exception? innerException = null)
        : base(
            string.Create(CultureInfo.InvariantCulture, $"The billable seconds of account '{account}', service {serviceId}, on {IsoDate.Format(date)} exceed {long.MaxValue} s."),
            innerException)
    {
        Account = account;
        ServiceId = serviceId;
        Date = date;
    }

    /// <summary>The account; empty for the default account.</summary>
    public string Account { get; }

    /// <summary>The service id.</summary>
    public string ServiceId { get; }

    /// <summary>The billing date.</summary>
    public LocalDate Date { get; }
}
