using Simulator.Core.Statistics;

namespace Simulator.Tests.Statistics;

/// <summary>A long-lived user of series (the what-if server) takes a budget of its own, larger than the process's default,
/// unless the environment sets the budget.</summary>
public class SeriesBudgetTests
{
    [Test]
    public void Own_MoreThanTheDefault_ABudgetOfItsOwnUnlessTheEnvironmentSetsOne()
    {
        var own = SeriesBudget.Own(4 * SeriesBudget.DefaultBytes);
        if (Environment.GetEnvironmentVariable(SeriesBudget.EnvironmentVariable) is not null)
        {
            Assert.That(own, Is.SameAs(SeriesBudget.Default));
            return;
        }
        Assert.Multiple(() =>
        {
            Assert.That(own, Is.Not.SameAs(SeriesBudget.Default));
            Assert.That(own.Bytes, Is.EqualTo(4 * SeriesBudget.DefaultBytes));
            Assert.That(SeriesBudget.Own(SeriesBudget.DefaultBytes / 2), Is.SameAs(SeriesBudget.Default), "never less than the default");
        });
    }
}
