using System.Runtime.CompilerServices;

// Stack buffers here are always written before they are read; zeroing them first costs a measurable
// share of parsing a short CIDR.
[module: SkipLocalsInit]
