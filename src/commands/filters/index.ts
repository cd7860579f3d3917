// The `/tickets` filter language. See parser.ts for how text is read and vocabulary.ts for the words.
export { parseTicketQuery, MAX_INPUT_CHARS, MAX_TOKENS } from './parser.js';
export { exampleDates, examplesFor, filterExamples, helpExamples, type Example, type Topic } from './examples.js';
export { VOCABULARY, CHANNELS, ME_WORDS, type VocabularyEntry, type Meaning } from './vocabulary.js';
export type { FilterContext, FilterError, Fix, Known, KnownPerson, ParseResult, TicketQuery, TimeWords, UnknownWord } from './types.js';
