import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// A shared CI machine can take seconds to render a full MUI page; findBy* waits for it.
configure({ asyncUtilTimeout: 20_000 });
