/** The four sequence models (many-to-one, aligned many-to-many, one-to-many, encoder-decoder), their configurations and batch layouts (time-major, padded, with lengths). */
package dev.unroll.training.model;
