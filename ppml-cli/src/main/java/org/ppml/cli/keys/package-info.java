/** {@code ppml keys create|import|list|rotate|disable}: primary keys in a KMS. */
package org.ppml.cli.keys;
