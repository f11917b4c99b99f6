/* Entry point of the bundled agent in the container image (see Dockerfile). */
import { main } from './cli/main';

main(process.argv.slice(2));
