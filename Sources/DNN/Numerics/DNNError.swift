/// A problem with data, a file or a setting, told in one line that names what is wrong and where
/// (the file, the line and column, the shape, the value). Thrown, never a stop: callers can
/// recover and the command line prints it as it is.
public struct DNNError: Error, CustomStringConvertible, Equatable {
    /// The one line that says what is wrong and where.
    public let message: String
    /// Whether the problem is in what was asked (a setting that cannot apply to the data, such as
    /// weights that are negative or a weight column that is not there): the command line exits
    /// with its usage status, 2, rather than 1.
    public let isUsage: Bool
    /// An error that tells `message`; `usage` for a problem in what was asked.
    public init(_ message: String, usage: Bool = false) {
        self.message = message
        isUsage = usage
    }
    /// The message, as it is.
    public var description: String { message }
}
