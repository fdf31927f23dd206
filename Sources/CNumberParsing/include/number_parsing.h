#ifndef DNN_NUMBER_PARSING_H
#define DNN_NUMBER_PARSING_H

#ifdef __cplusplus
extern "C" {
#endif

/// Parses the decimal number that starts at `first` (no leading space or '+'; "1", "-2.5",
/// "3e-7", "inf", "nan"), reading no further than `last`, correctly rounded to the nearest double.
/// Returns the byte after the number, or a null pointer when none starts there.
const char *dnn_parse_double(const char *first, const char *last, double *value);

#ifdef __cplusplus
}
#endif

#endif
