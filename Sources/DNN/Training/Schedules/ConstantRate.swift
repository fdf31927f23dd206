/// α = α₀ throughout.
public struct ConstantRate: ScheduleFunction {
    public init() {}
    public var settings: [(name: String, value: Double)] { [] }
    public func rate(initial: Double, afterEpoch epoch: Int) -> Double { initial }
}

extension LearningRateSchedule {
    /// No decay.
    public static let constant = LearningRateSchedule(name: "none", function: ConstantRate())
}
