/// The floating-point type training runs in. Parameters are always kept and saved as `Double`;
/// float32 training rounds them to `Float` at the start and widens them (exactly) at the end.
public enum Precision: String, Sendable, Codable, CaseIterable {
    /// 32-bit: the engine computes in `Float`.
    case float32
    /// 64-bit: the engine computes in `Double` (the default of `TrainingOptions`).
    case float64
}
