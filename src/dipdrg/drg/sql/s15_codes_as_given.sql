-- Step 1b, codes as given (ALGORITHM.md §2; pack switch code_mapping = false, OpenDRG
-- TRANS_CODE=0): the grouper reads the input codes unchanged and no case is unmapped.
CREATE OR REPLACE TEMP VIEW drg_dx AS SELECT case_key, seq, code FROM drg_dx_src;

CREATE OR REPLACE TEMP VIEW drg_proc AS SELECT case_key, seq, code FROM drg_proc_src;

CREATE OR REPLACE TEMP TABLE drg_unmapped AS
SELECT case_key FROM drg_dx_src WHERE 1 = 0;
