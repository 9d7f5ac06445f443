// Registers every native builtin (each module calls defineNative/defineFn when loaded).
import './core';
import './collections';
import './paths';
import './strings';
import './math';
import './regex';
import './dates';
