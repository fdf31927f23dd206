import Foundation

/// The course's `schedule_lr_decay`: α = α₀ / (1 + rate·⌊epoch / interval⌋), so the rate falls in
/// steps every `interval` epochs.
public struct ScheduledDecay: ScheduleFunction {
    /// The decay rate, 0 or more.
    public let decayRate: Double
    /// The epochs between two falls of the rate, at least 1.
    public let interval: Int
    /// Decay at `decayRate` every `interval` epochs; the ranges are checked by `validate()`, not here.
    public init(decayRate: Double, interval: Int) { (self.decayRate, self.interval) = (decayRate, interval) }
    /// Two settings: `rate`, and `interval` as a Double.
    public var settings: [(name: String, value: Double)] { [("rate", decayRate), ("interval", Double(interval))] }
    /// Throws, naming the setting, unless the rate is finite and 0 or more and the interval at least 1.
    public func validate() throws {
        guard decayRate >= 0, decayRate.isFinite else { throw DNNError("decay rate \(decayRate): must be 0 or more") }
        guard interval >= 1 else { throw DNNError("decay interval \(interval): must be at least 1") }
    }
    /// α = α₀ / (1 + rate·⌊epoch / interval⌋).
    public func rate(initial: Double, afterEpoch epoch: Int) -> Double {
        initial / (1 + decayRate * floor(Double(epoch) / Double(interval)))
    }
}

extension LearningRateSchedule {
    /// α = α₀ / (1 + rate·⌊epoch / interval⌋), rate ≥ 0, interval ≥ 1 (the course: 1000).
    public static func scheduled(rate: Double, interval: Int = 1000) -> LearningRateSchedule {
        LearningRateSchedule(name: "scheduled", function: ScheduledDecay(decayRate: rate, interval: interval))
    }
}
