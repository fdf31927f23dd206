/// The course's `update_lr`: α = α₀ / (1 + rate·epoch).
public struct InverseTimeDecay: ScheduleFunction {
    public let decayRate: Double
    public init(decayRate: Double) { self.decayRate = decayRate }
    public var settings: [(name: String, value: Double)] { [("rate", decayRate)] }
    public func validate() throws {
        guard decayRate >= 0, decayRate.isFinite else { throw DNNError("decay rate \(decayRate): must be 0 or more") }
    }
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
