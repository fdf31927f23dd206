/// The course's `update_lr`: α = α₀ / (1 + rate·epoch).
public struct InverseTimeDecay: ScheduleFunction {
    /// The decay rate, 0 or more.
    public let decayRate: Double
    /// Decay at `decayRate`; its range is checked by `validate()`, not here.
    public init(decayRate: Double) { self.decayRate = decayRate }
    /// One setting: `rate`, the decay rate.
    public var settings: [(name: String, value: Double)] { [("rate", decayRate)] }
    /// Throws, naming the rate, unless it is finite and 0 or more.
    public func validate() throws {
        guard decayRate >= 0, decayRate.isFinite else { throw DNNError("decay rate \(decayRate): must be 0 or more") }
    }
    /// α = α₀ / (1 + rate·epoch).
    public func rate(initial: Double, afterEpoch epoch: Int) -> Double {
        initial / (1 + decayRate * Double(epoch))
    }
}

extension LearningRateSchedule {
    /// α = α₀ / (1 + rate·epoch), rate ≥ 0.
    public static func inverseTime(rate: Double) -> LearningRateSchedule {
        LearningRateSchedule(name: "inverse-time", function: InverseTimeDecay(decayRate: rate))
    }
}
