global using FluentAssertions;
global using NodaTime;
global using Xunit;
global using AsrBilling.Bulk;
