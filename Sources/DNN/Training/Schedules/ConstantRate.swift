/// α = α₀ throughout.
public struct ConstantRate: ScheduleFunction {
    /// The constant schedule; it has no settings.
    public init() {}
    /// None: the rate never changes.
    public var settings: [(name: String, value: Double)] { [] }
    /// α₀, after every epoch.
    public func rate(initial: Double, afterEpoch epoch: Int) -> Double { initial }
}

extension LearningRateSchedule {
    /// No decay.
    public static let constant = LearningRateSchedule(name: "none", function: ConstantRate())
}
