global using FluentAssertions;
global using NodaTime;
global using Xunit;
