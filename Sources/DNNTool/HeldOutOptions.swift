import ArgumentParser

/// Data `train` holds out from training: a test file scored at the end, and validation data (a
/// file, or a stratified fraction of the training data) measured after every pass, with early
/// stopping on its cost.
struct HeldOutOptions: ParsableArguments {
    @Option(help: "Test data, evaluated after training (.h5 or .csv).")
    var test: String?

    @Option(help: "Validation data (.h5 or .csv), measured after every pass.")
    var validation: String?

    @Option(help: "Hold out this fraction of the training data for validation (stratified, seeded).")
    var validationFraction: Double?

    @Option(help: "Stop when the validation cost has not improved for this many passes, and keep the best parameters.")
    var earlyStopping: Int?

    func validate() throws {
        if let validationFraction, !(validationFraction > 0 && validationFraction < 1) {
            throw ValidationError("--validation-fraction \(validationFraction): must be between 0 and 1")
        }
        if validation != nil && validationFraction != nil {
            throw ValidationError("give --validation or --validation-fraction, not both")
        }
        if let earlyStopping {
            guard earlyStopping >= 1 else {
                throw ValidationError("--early-stopping \(earlyStopping): must be at least 1")
            }
            guard validation != nil || validationFraction != nil else {
                throw ValidationError(
                    "--early-stopping needs validation data: --validation FILE or --validation-fraction F")
            }
        }
    }
}
